// `npm test`: the project's tests. First the unit project (framework, no cluster), the cluster
// lifecycle through the command line, then the
// conformance suites on real kind clusters of each profile in KNC_TEST_PROFILES (default:
// "iptables nftables"), each created for the run and removed after it. Ends with one line per step
// and a total "N passed, N failed, N skipped".
//
// The profile KNC_TEST_RBAC_PROFILE (default iptables; "none" for none) runs its conformance pass
// as a user of an existing cluster with the least rights: `cluster up` makes its cluster, the rbac
// jest project (clusters/rbac/runner-role.rbac.ts) applies clusters/rbac/kube-netconform-runner.yaml,
// runs every area with a token of its ServiceAccount (`run --kubeconfig`, the suites' results
// written where that profile's `run --profile` would write them), checks what the ServiceAccount
// may not do and removes the RBAC objects; a run of two areas on that cluster is stopped with
// SIGTERM and must still write its reports (cli/commands/run-interrupted.e2e.ts); `cluster down`
// removes the cluster. The other profiles
// keep `run --profile`, which makes and removes the cluster inside the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readState } from '../clusters/cluster-state.ts';
import {
  compareModes,
  readModeRun,
  renderModeComparisonHtml,
  renderModeComparisonMarkdown,
} from '../reports/mode-comparison.ts';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'reports', 'out', 'test');
mkdirSync(out, { recursive: true });

interface JestTotals {
  /** True when every test passed. */
  success?: boolean;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
}

interface StepResult {
  name: string;
  code: number;
  /** Jest's counts; undefined for a step that runs no tests (cluster up/down) or wrote none. */
  totals: JestTotals | undefined;
  /** False for steps that run no tests. */
  hasTests: boolean;
}

function totals(file: string): JestTotals | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as JestTotals;
}

// Ctrl-C reaches the running step's processes too (they clean up after themselves); this script
// then skips the remaining steps, but still removes a cluster it made. The steps run with
// spawnSync, which holds the event loop: the handlers below run only once the script ends, so a
// step that ended by a signal (or with the shell's 130/143) marks the interruption itself.
const signals = { interrupted: false };
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals.interrupted = true;
  });
}

/** Runs one step; `resultsFile` is its jest --json output, undefined for a step without tests. */
function step(
  name: string,
  argv: string[],
  resultsFile: string | undefined,
  env: Record<string, string> = {},
): StepResult {
  if (resultsFile !== undefined) rmSync(resultsFile, { force: true });
  console.error(`\n=== ${name} ===`);
  const r = spawnSync(argv[0] ?? '', argv.slice(1), {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, ...env },
  });
  if (r.signal !== null || r.status === 130 || r.status === 143) signals.interrupted = true;
  return {
    name,
    code: r.status ?? 1,
    totals: resultsFile === undefined ? undefined : totals(resultsFile),
    hasTests: resultsFile !== undefined,
  };
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
if (!signals.interrupted)
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

const netconform = join(root, 'bin', 'netconform');

/** The conformance pass of `profile` as the runner ServiceAccount (see the file comment). */
function runnerPass(profile: string, dir: string): StepResult[] {
  const name = `knc-test-${profile}-${process.pid}`;
  const steps: StepResult[] = [];
  try {
    const up = step(
      `a new ${profile} kind cluster (${name})`,
      [netconform, 'cluster', 'up', '--profile', profile, '--cluster-name', name],
      undefined,
    );
    steps.push(up);
    const kubeconfig = readState(name)?.kubeconfig;
    if (up.code !== 0 || kubeconfig === undefined || signals.interrupted) return steps;
    const rbacFile = join(out, 'rbac.json');
    const suitesFile = join(dir, 'jest-results.json');
    rmSync(suitesFile, { force: true });
    steps.push(
      step(
        `RBAC: the runner ServiceAccount's rights on the ${profile} cluster`,
        [
          node,
          join(root, 'scripts', 'jest.ts'),
          '--selectProjects',
          'rbac',
          '--runInBand',
          '--json',
          '--outputFile',
          rbacFile,
        ],
        rbacFile,
        { KNC_RBAC_KUBECONFIG: kubeconfig, KNC_RBAC_REPORT_DIR: dir },
      ),
    );
    const suites = totals(suitesFile);
    const interruptedFile = join(out, 'interrupted.json');
    steps.push(
      step(
        `a run stopped by SIGTERM on the ${profile} cluster writes its reports`,
        [
          node,
          join(root, 'scripts', 'jest.ts'),
          '--selectProjects',
          'lifecycle',
          '--runInBand',
          '--testPathPatterns',
          'run-interrupted',
          '--json',
          '--outputFile',
          interruptedFile,
        ],
        interruptedFile,
        { KNC_E2E_KUBECONFIG: kubeconfig },
      ),
    );
    steps.push({
      name: `conformance on the ${profile} kind cluster, as the runner ServiceAccount`,
      code: suites?.success === true ? 0 : 1,
      totals: suites,
      hasTests: true,
    });
    return steps;
  } finally {
    if (readState(name) !== undefined)
      steps.push(
        step(
          `removing the ${profile} cluster`,
          [netconform, 'cluster', 'down', '--cluster-name', name],
          undefined,
        ),
      );
  }
}

const rbacProfile = process.env.KNC_TEST_RBAC_PROFILE ?? 'iptables';
const profiles = (process.env.KNC_TEST_PROFILES ?? 'iptables nftables')
  .split(/[\s,]+/)
  .filter((p) => p !== '');
for (const profile of profiles) {
  if (signals.interrupted) break;
  const dir = join(out, profile);
  if (profile === rbacProfile) {
    results.push(...runnerPass(profile, dir));
    continue;
  }
  results.push(
    step(
      `conformance on a new ${profile} kind cluster`,
      [netconform, 'run', '--profile', profile, '--report-dir', dir],
      join(dir, 'jest-results.json'),
    ),
  );
}

// The behaviour that differs between kube-proxy modes, observed on the clusters just tested (a run
// of the ipvs lane can be added with `npm run compare-modes`, see docs/ipvs-lane.md).
const compared = profiles
  .map((p) => join(out, p))
  .filter((d) => existsSync(join(d, 'summary.json')));
if (compared.length > 1) {
  const table = compareModes(compared.map(readModeRun));
  const dir = join(out, 'mode-comparison');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mode-comparison.html'), renderModeComparisonHtml(table));
  writeFileSync(join(dir, 'mode-comparison.md'), `${renderModeComparisonMarkdown(table)}\n`);
  console.error(`\n=== kube-proxy modes compared (${join(dir, 'mode-comparison.html')}) ===`);
  console.error(renderModeComparisonMarkdown(table));
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
      ? r.hasTests
        ? 'no results'
        : 'done'
      : `${t.numPassedTests} passed, ${t.numFailedTests} failed, ${t.numPendingTests} skipped`;
  console.error(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.name}: ${counts} (exit ${r.code})`);
}
if (signals.interrupted) console.error('interrupted: the remaining steps were skipped');
const bad = results.filter((r) => r.code !== 0 || (r.hasTests && r.totals === undefined));
if (bad.length > 0 && failed === 0) failed = bad.length;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(bad.length > 0 || signals.interrupted ? 1 : 0);
