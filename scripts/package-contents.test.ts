// The package `npm pack` makes (package.json "files"): everything the installed tool loads at run
// time, and none of the project's tests, test data or CI scripts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import { repoRoot } from '../clusters/paths.ts';

/** The paths `npm pack` would put into the package (lifecycle scripts not run). */
function packedFiles(): string[] {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed: ${r.stderr}`);
  const [pack] = JSON.parse(r.stdout) as [{ files: { path: string }[] }];
  return pack.files.map((f) => f.path);
}

/** The project's .ts modules that `entries` import, directly or not, relative to the root. */
function importClosure(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const path = join(repoRoot, file);
    for (const ref of ts.preProcessFile(readFileSync(path, 'utf8'), true, true).importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = resolve(dirname(path), ref.fileName);
      if (existsSync(target)) visit(relative(repoRoot, target));
    }
  };
  entries.forEach(visit);
  return seen;
}

describe('the npm package', () => {
  const files = packedFiles();

  it('holds every module the command, jest and the suites load', () => {
    const suites = readdirSync(join(repoRoot, 'suites'))
      .map((area) => join('suites', area, `${area}.suite.ts`))
      .filter((f) => existsSync(join(repoRoot, f)));
    const runtime = importClosure([
      'cli/main.ts',
      'cli/jest-progress-reporter.ts',
      'jest.config.ts',
      'scripts/jest.ts',
      ...suites,
    ]);
    expect(suites.length).toBeGreaterThan(0);
    expect([...runtime].filter((f) => !files.includes(f))).toEqual([]);
    for (const f of ['bin/netconform', 'scripts/node24', 'scripts/strip-types-hook.mjs'])
      expect(files).toContain(f);
  });

  it('holds no tests, test data, CI scripts or lock file', () => {
    const unwanted = /\.(test|e2e|rbac)\.ts$|(^|\/)testdata\/|^\.ci\/|^docs\/|package-lock\.json/;
    expect(files.filter((f) => unwanted.test(f))).toEqual([]);
  });
});
