// `npm test`: the project's tests. First the unit project (framework, no cluster), the cluster
// lifecycle through the command line, then the
// conformance suites on real kind clusters of each profile in KNC_TEST_PROFILES (default:
// "iptables nftables"), each created for the run and removed after it. Ends with one line per step
// and a total "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'reports', 'out', 'test');
mkdirSync(out, { recursive: true });

interface JestTotals {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
}

interface StepResult {
  name: string;
  code: number;
  totals: JestTotals | undefined;
}

function totals(file: string): JestTotals | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as JestTotals;
}

function step(name: string, argv: string[], resultsFile: string): StepResult {
  rmSync(resultsFile, { force: true });
  console.error(`\n=== ${name} ===`);
  const r = spawnSync(argv[0] ?? '', argv.slice(1), { stdio: 'inherit', cwd: root });
  return { name, code: r.status ?? 1, totals: totals(resultsFile) };
}

const node = join(root, 'scripts', 'node24');
const results: StepResult[] = [];
const unitFile = join(out, 'unit.json');
results.push(
  step(
    'unit',
    [
      node,
      join(root, 'scripts', 'jest.ts'),
      '--selectProjects',
      'unit',
      '--json',
      '--outputFile',
      unitFile,
    ],
    unitFile,
  ),
);

const lifecycleFile = join(out, 'lifecycle.json');
results.push(
  step(
    'cluster lifecycle (up, interrupted run, down)',
    [
      node,
      join(root, 'scripts', 'jest.ts'),
      '--selectProjects',
      'lifecycle',
      '--runInBand',
      '--json',
      '--outputFile',
      lifecycleFile,
    ],
    lifecycleFile,
  ),
);

const profiles = (process.env.KNC_TEST_PROFILES ?? 'iptables nftables')
  .split(/[\s,]+/)
  .filter((p) => p !== '');
for (const profile of profiles) {
  const dir = join(out, profile);
  results.push(
    step(
      `conformance on a new ${profile} kind cluster`,
      [join(root, 'bin', 'netconform'), 'run', '--profile', profile, '--report-dir', dir],
      join(dir, 'jest-results.json'),
    ),
  );
}

let passed = 0;
let failed = 0;
let skipped = 0;
console.error('\n=== summary ===');
for (const r of results) {
  const t = r.totals;
  if (t !== undefined) {
    passed += t.numPassedTests;
    failed += t.numFailedTests;
    skipped += t.numPendingTests;
  }
  const counts =
    t === undefined
      ? 'no results'
      : `${t.numPassedTests} passed, ${t.numFailedTests} failed, ${t.numPendingTests} skipped`;
  console.error(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.name}: ${counts} (exit ${r.code})`);
}
const bad = results.filter((r) => r.code !== 0 || r.totals === undefined);
if (bad.length > 0 && failed === 0) failed = bad.length;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(bad.length > 0 ? 1 : 0);
