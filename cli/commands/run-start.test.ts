// `netconform run` that cannot start, as users meet it (real processes of bin/netconform): each bad
// input exits 2 with the problem and the fix, and nothing in the report directory is touched. No
// cluster is involved. Every process is killed if it outlives its bound, so no case can hang.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { reportMarker } from '../../reports/report-dir.ts';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'netconform');
const dir = mkdtempSync(join(tmpdir(), 'knc-run-start-'));
const missing = join(dir, 'missing.kubeconfig');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs bin/netconform with `env` on top of this process's (KUBECONFIG unset unless given). */
function netconform(
  args: readonly string[],
  env: Record<string, string> = {},
): { code: number | null; stderr: string } {
  const base = { ...process.env };
  delete base.KUBECONFIG;
  const r = spawnSync(bin, args, {
    encoding: 'utf8',
    env: { ...base, ...env },
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, stderr: r.stderr };
}

/** A kubeconfig whose one context "c" points at `server`. */
function kubeconfig(name: string, server: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: k\n  cluster: { server: "${server}" }\nusers:\n- name: u\n  user: { token: t }\ncontexts:\n- name: c\n  context: { cluster: k, user: u }\n`,
  );
  return path;
}
const badPort = kubeconfig('bad-port.kubeconfig', 'https://127.0.0.1:1');

/** A report directory as a finished run leaves it; returns it and a snapshot of its files. */
function previousReports(name: string): string {
  const reports = join(dir, name);
  mkdirSync(join(reports, 'checks'), { recursive: true });
  mkdirSync(join(reports, 'allure-results'));
  writeFileSync(join(reports, reportMarker), '{"tool":"kube-netconform","version":1}\n');
  writeFileSync(join(reports, 'junit.xml'), '<testsuites name="previous"/>\n');
  writeFileSync(join(reports, 'summary.json'), '{"previous": true}\n');
  writeFileSync(join(reports, 'checks', 'dns.json'), '[]\n');
  writeFileSync(join(reports, 'allure-results', 'a-result.json'), '{}\n');
  return reports;
}

/** Every file under `root` with its content. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files[path.slice(root.length)] = readFileSync(path, 'utf8');
    }
  return files;
}

describe('a run that fails to start keeps the previous reports', () => {
  it.each([
    [
      'a kubeconfig that does not exist',
      ['--kubeconfig', missing],
      {},
      `error: no kubeconfig at ${missing}\n`,
    ],
    [
      'an unknown context',
      ['--kubeconfig', badPort, '--context', 'nosuch'],
      {},
      `error: context "nosuch" does not exist in ${badPort}\n  fix: pass --context with one of: c\n`,
    ],
    [
      'a server on a port fetch refuses',
      ['--kubeconfig', badPort],
      {},
      'error: the API server https://127.0.0.1:1 (context "c") is on a port that fetch() refuses',
    ],
    [
      'KUBECONFIG naming that server (its first file that exists)',
      [],
      { KUBECONFIG: `${missing}:${badPort}` },
      'error: the API server https://127.0.0.1:1 (context "c") is on a port that fetch() refuses',
    ],
    [
      'KUBECONFIG naming no file that exists',
      [],
      { KUBECONFIG: `${missing}:${join(dir, 'also-missing')}` },
      `error: KUBECONFIG=${missing}:${join(dir, 'also-missing')} names no file that exists\n  fix: point KUBECONFIG at`,
    ],
  ])(
    '%s: exit 2, the reports untouched',
    (_, args, env, message) => {
      const reports = previousReports(`previous-${Math.random().toString(16).slice(2)}`);
      const before = snapshot(reports);
      const r = netconform(['run', ...args, '--report-dir', reports], env);
      expect(r.stderr).toContain(message);
      expect(r.code).toBe(2);
      expect(snapshot(reports)).toEqual(before);
    },
    90_000,
  );
});

describe('--report-dir', () => {
  it('a folder of the user (here a copy of suites/dns) is refused and keeps every file', () => {
    const user = join(dir, 'dns-copy');
    cpSync(resolve(import.meta.dirname, '..', '..', 'suites', 'dns'), user, { recursive: true });
    const before = snapshot(user);
    const r = netconform(['run', '--report-dir', user, '--context', 'nosuch'], {
      KUBECONFIG: badPort,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: --report-dir ${user} is no report directory of kube-netconform: it holds files the tool did not write .*\\n {2}fix: pass --report-dir a new or empty directory`,
      ),
    );
    expect(snapshot(user)).toEqual(before);
  }, 90_000);

  it.each([
    ['/proc/x', "is on the kernel's /proc filesystem"],
    [join(dir, 'a-file'), 'is a file, not a directory'],
    [join(dir, 'a-file', 'below'), `cannot be made: ${join(dir, 'a-file')} is a file`],
  ])(
    '%s is refused at once (exit 2)',
    (path, problem) => {
      writeFileSync(join(dir, 'a-file'), 'x');
      const r = netconform(['run', '--report-dir', path, '--kubeconfig', missing]);
      expect(r.stderr).toContain(`error: --report-dir ${path} ${problem}`);
      expect(r.code).toBe(2);
    },
    90_000,
  );
});

describe('bad numbers', () => {
  it.each([
    ['--timeout-scale', '-1'],
    ['--timeout-scale', '0'],
    ['--timeout-scale', 'NaN'],
    ['--timeout-scale', 'abc'],
    ['--parallel', '0'],
    ['--parallel', '-2'],
  ])(
    '%s %s exits 2 naming a valid value',
    (flag, value) => {
      const r = netconform(['run', flag, value, '--kubeconfig', missing]);
      expect(r.stderr).toBe(
        `error: ${flag} must be a positive number, got "${value}"\n  fix: pass e.g. ${flag} 2\n`,
      );
      expect(r.code).toBe(2);
    },
    90_000,
  );

  it('a bad KNC_TIMEOUT_SCALE exits 2 naming the variable', () => {
    const r = netconform(['run', '--kubeconfig', missing], { KNC_TIMEOUT_SCALE: '-3' });
    expect(r.stderr).toMatch(
      /^error: KNC_TIMEOUT_SCALE must be a positive number, got "-3"\n {2}fix: /,
    );
    expect(r.code).toBe(2);
  }, 90_000);
});
