// `npm run compare-modes -- [REPORT_DIR...] [--profiles LIST [--suites LIST]] [--out DIR]`: the
// kube-proxy mode comparison table.
//  - REPORT_DIR...: the reports of earlier runs on clusters of different modes (each a
//    `netconform run --report-dir`);
//  - --profiles iptables,nftables,ipvs: first runs the suites (--suites, default kube-proxy,clusterip,
//    the areas whose checks record what differs) on a new kind cluster of each profile, one after
//    the other (ipvs in the IPVS lane's guest where the kernel has no IP_VS), into DIR/<profile>.
// Writes DIR/mode-comparison.html and DIR/mode-comparison.md (DIR defaults to
// reports/out/mode-comparison) and prints the Markdown table. Exit 2 when a directory holds no run;
// exit 1 when a run it made failed (the table is still written, the failed checks shown as such).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { profileNames, type ProfileName } from '../clusters/profiles.ts';
import {
  compareModes,
  readModeRun,
  renderModeComparisonHtml,
  renderModeComparisonMarkdown,
} from '../reports/mode-comparison.ts';

const root = resolve(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  options: {
    out: { type: 'string' },
    profiles: { type: 'string' },
    suites: { type: 'string', default: 'kube-proxy,clusterip' },
  },
  allowPositionals: true,
});
const usage =
  'usage: npm run compare-modes -- [REPORT_DIR...] [--profiles iptables,nftables,ipvs [--suites LIST]] [--out DIR]';
const profiles = (values.profiles ?? '').split(',').filter((p) => p !== '');
const unknown = profiles.filter((p) => !profileNames.includes(p as ProfileName));
if (unknown.length > 0) {
  console.error(`unknown profile(s) ${unknown.join(', ')}; use: ${profileNames.join(', ')}`);
  process.exit(2);
}
if (positionals.length === 0 && profiles.length === 0) {
  console.error(usage);
  process.exit(2);
}
const out = resolve(values.out ?? join(root, 'reports', 'out', 'mode-comparison'));
mkdirSync(out, { recursive: true });

// Ctrl-C reaches the running `netconform run` too, which removes its cluster; then stop here.
// spawnSync holds the event loop, so the handlers run only at the end: a run that ended by a
// signal (or with the shell's 130/143) marks the interruption itself.
const signals = { interrupted: false };
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals.interrupted = true;
  });
}
const dirs = positionals.map((d) => resolve(d));
const failedRuns: string[] = [];
for (const profile of profiles) {
  if (signals.interrupted) break;
  const dir = join(out, profile);
  rmSync(dir, { recursive: true, force: true });
  console.error(`\n=== ${values.suites} on a new ${profile} cluster (reports in ${dir}) ===`);
  const started = performance.now();
  const r = spawnSync(
    join(root, 'bin', 'netconform'),
    ['run', '--profile', profile, '--suites', values.suites, '--report-dir', dir],
    { stdio: 'inherit', cwd: root },
  );
  if (r.signal !== null || r.status === 130 || r.status === 143) signals.interrupted = true;
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.error(`=== ${profile}: exit ${String(r.status)} in ${seconds} s ===`);
  if (r.status !== 0) failedRuns.push(`${profile} (exit ${String(r.status)})`);
  if (existsSync(join(dir, 'summary.json'))) dirs.push(dir);
}
if (signals.interrupted) {
  console.error('interrupted: no table written');
  process.exit(130);
}
let table;
try {
  table = compareModes(dirs.map(readModeRun));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error('fix: pass the --report-dir of finished `netconform run`s');
  process.exit(2);
}
const markdown = renderModeComparisonMarkdown(table);
writeFileSync(join(out, 'mode-comparison.md'), `${markdown}\n`);
writeFileSync(join(out, 'mode-comparison.html'), renderModeComparisonHtml(table));
console.log(markdown);
console.log(`\nwritten: ${join(out, 'mode-comparison.html')}`);
if (failedRuns.length > 0) {
  console.error(
    `runs with failures: ${failedRuns.join(', ')} (their failed checks are in the table)`,
  );
  process.exit(1);
}
