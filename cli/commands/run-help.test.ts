// `run --help` names every environment variable the tool reads while it runs, read from the
// source: a variable is either in the help's "environment:" section or one that `run` itself sets
// for the suites from a flag (cli/commands/run.ts); and the section names none that nothing reads.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { helpText } from '../args.ts';
import { program } from '../program.ts';
import { runSpec } from './run.ts';

const root = resolve(import.meta.dirname, '..', '..');

/** The non-test TypeScript files of `dir` (recursively unless `shallow`). */
function sources(dir: string, shallow = false): string[] {
  return readdirSync(join(root, dir), { recursive: !shallow, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.(test|e2e|rbac)\.ts$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe('run --help', () => {
  it('lists every environment variable the tool reads, or it is set by run from a flag', () => {
    const files = [
      ...['cli', 'helpers', 'reports', 'suites'].flatMap((d) => sources(d)),
      ...sources('clusters', true),
    ];
    const read = new Set(
      files.flatMap((f) =>
        [
          ...readFileSync(f, 'utf8').matchAll(
            /\b(?:process\.env|env)\.([A-Z][A-Z0-9_]+)\b(?!\s*=[^=])/g,
          ),
        ].map((m) => m[1] ?? ''),
      ),
    );
    const run = readFileSync(join(root, 'cli', 'commands', 'run.ts'), 'utf8');
    const setByRun = new Set([...run.matchAll(/\b(KNC_[A-Z_]+)(?::| =)/g)].map((m) => m[1]));
    const help = helpText(program, runSpec);
    const environment = help.slice(help.indexOf('\nenvironment:\n'));
    expect(read.size).toBeGreaterThan(5);
    const standard = new Set(['PATH', 'HOME']);
    const unlisted = [...read].filter(
      (name) => !setByRun.has(name) && !standard.has(name) && !environment.includes(name),
    );
    expect(unlisted).toEqual([]);
    expect(Object.keys(runSpec.environment ?? {}).filter((name) => !read.has(name))).toEqual([]);
    expect(environment).toMatch(/\n {2}KUBECONFIG +\S/);
  });
});
