// What a run may do with its --report-dir: real directories under a temp dir this test makes (and
// removes), and the kernel's /proc, where a recursive mkdir never returns. Every case must end
// within jest's own per-test timeout; none of them waits.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SetupError } from '../helpers/errors.ts';
import { checkReportDir, claimReportDir, reportMarker } from './report-dir.ts';

const dir = mkdtempSync(join(tmpdir(), 'knc-report-dir-'));
/** The project's own output tree, as the functions see it: a folder of this test. */
const tree = join(dir, 'own-tree');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function refusal(path: string): SetupError {
  try {
    claimReportDir(path, tree);
  } catch (error) {
    if (error instanceof SetupError) return error;
    throw error;
  }
  throw new Error(`${path} was accepted`);
}

describe('a report directory the tool did not write', () => {
  it('is refused when it holds a file, naming the fix, and the file stays', () => {
    const user = join(dir, 'user');
    mkdirSync(join(user, 'checks'), { recursive: true });
    writeFileSync(join(user, 'checks', 'mine.ts'), 'export {};\n');
    writeFileSync(join(user, 'junit.xml'), '<mine/>');
    const e = refusal(user);
    expect(e.message).toBe(
      `--report-dir ${user} is no report directory of kube-netconform: it holds files the tool did not write (checks, junit.xml) and no ${reportMarker} marker`,
    );
    expect(e.fix).toMatch(/^pass --report-dir a new or empty directory/);
    expect(readFileSync(join(user, 'checks', 'mine.ts'), 'utf8')).toBe('export {};\n');
    expect(readdirSync(user).sort()).toEqual(['checks', 'junit.xml']);
  });

  it('is taken when it is empty or new (made level by level, with the marker)', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    claimReportDir(empty, tree);
    expect(readdirSync(empty)).toEqual([reportMarker]);
    const nested = join(dir, 'new', 'a', 'b');
    expect(checkReportDir(nested, tree)).toEqual(['new', 'a', 'b']);
    expect(existsSync(join(dir, 'new'))).toBe(false);
    claimReportDir(nested, tree);
    expect(JSON.parse(readFileSync(join(nested, reportMarker), 'utf8'))).toEqual({
      tool: 'kube-netconform',
      version: 1,
    });
  });

  it('is taken again once it has the marker, whatever else it holds', () => {
    const earlier = join(dir, 'earlier');
    claimReportDir(earlier, tree);
    writeFileSync(join(earlier, 'summary.json'), '{}');
    expect(() => {
      claimReportDir(earlier, tree);
    }).not.toThrow();
    expect(readdirSync(earlier).sort()).toEqual([reportMarker, 'summary.json']);
  });

  it("is taken anywhere under the project's own output tree", () => {
    const inTree = join(tree, 'test', 'iptables');
    mkdirSync(inTree, { recursive: true });
    writeFileSync(join(inTree, 'netconform.log'), 'log');
    claimReportDir(inTree, tree);
    expect(readdirSync(inTree).sort()).toEqual([reportMarker, 'netconform.log']);
  });

  it('with a marker of something else is refused', () => {
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, reportMarker), '{"tool": "other"}');
    expect(refusal(other).message).toContain('no report directory of kube-netconform');
  });
});

describe('a path that cannot hold reports', () => {
  it('an existing file is refused', () => {
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    expect(refusal(file).message).toBe(`--report-dir ${file} is a file, not a directory`);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('a path whose parent is a file is refused', () => {
    const file = join(dir, 'parent-file');
    writeFileSync(file, 'x');
    expect(refusal(join(file, 'r', 's')).message).toBe(
      `--report-dir ${join(file, 'r', 's')} cannot be made: ${file} is a file`,
    );
  });

  it.each(['/proc/knc-reports', '/proc/self/knc', '/sys/knc-reports', '/proc'])(
    '%s is refused (never a recursive mkdir there)',
    (path) => {
      expect(refusal(path).message).toMatch(
        new RegExp(`^--report-dir ${path} is on the kernel's /(proc|sys) filesystem`),
      );
      expect(existsSync(path)).toBe(path === '/proc');
    },
  );
});
