// `npm run bench [-- --profile NAME] [-- --parallel N]`: per-suite and total wall time of the
// conformance suites on a warm cluster. Uses the profile's standing kind cluster (creating it with
// `cluster up` first when there is none, and keeping it), runs every suite once through
// `netconform run --reuse`, and prints each area's time (fixtures included) and the totals.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { profile: { type: 'string', default: 'iptables' }, parallel: { type: 'string' } },
});
const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'netconform');
const profile = values.profile;

const list = spawnSync(bin, ['cluster', 'list'], { encoding: 'utf8' });
if (!list.stdout.split('\n').some((l) => l.startsWith(`knc-${profile}\t`))) {
  const up = spawnSync(bin, ['cluster', 'up', '--profile', profile], { stdio: 'inherit' });
  if (up.status !== 0) process.exit(up.status ?? 2);
}

interface JestFileResult {
  name: string;
  assertionResults: { status: string }[];
  startTime: number;
  endTime: number;
}

/** How many tests of a file ended with `status` (passed, failed, pending). */
function count(f: JestFileResult, status: string): string {
  return String(f.assertionResults.filter((a) => a.status === status).length);
}

const dir = mkdtempSync(join(tmpdir(), 'knc-bench-'));
const started = performance.now();
const args = ['run', '--reuse', '--profile', profile, '--report-dir', dir];
if (values.parallel !== undefined) args.push('--parallel', values.parallel);
const run = spawnSync(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
const wallMs = performance.now() - started;
const results = JSON.parse(readFileSync(join(dir, 'jest-results.json'), 'utf8')) as {
  testResults: JestFileResult[];
};
const files = results.testResults.sort((a, b) => a.name.localeCompare(b.name));
const first = Math.min(...files.map((f) => f.startTime));
const last = Math.max(...files.map((f) => f.endTime));
console.log(`bench (profile ${profile}, exit ${run.status ?? 'none'})`);
console.log(`${'area'.padEnd(16)} ${'time'.padStart(8)}  passed failed skipped`);
for (const f of files) {
  const area = basename(f.name).replace(/\.suite\.ts$/, '');
  console.log(
    `${area.padEnd(16)} ${((f.endTime - f.startTime) / 1000).toFixed(1).padStart(7)}s  ${count(f, 'passed').padStart(6)} ${count(f, 'failed').padStart(6)} ${count(f, 'pending').padStart(7)}`,
  );
}
console.log(`${'suites (jest)'.padEnd(16)} ${((last - first) / 1000).toFixed(1).padStart(7)}s`);
console.log(
  `${'netconform run'.padEnd(16)} ${(wallMs / 1000).toFixed(1).padStart(7)}s  (cluster check, reaper, suites, reports)`,
);
