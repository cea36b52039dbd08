// `npm run bench:cluster [-- --profile NAME] [--cold]`: prints the cluster figures.
//  - cold toolchain build with empty caches (only with --cold: its own cache, Go build and module
//    caches in a temporary directory, deleted afterwards; ~10-15 min on 2 cores),
//  - warm toolchain check, warm node-image and fixture checks,
//  - creation of a new cluster of the profile to all nodes Ready and to CoreDNS Ready,
//    then its removal (timed too);
//  - with --suites AREA,... (default for the ipvs profile: kube-proxy,clusterip), the wall time of
//    `netconform run` of those areas on the new cluster, before it is removed.
// Ctrl-C (or a failure) removes the cluster it created, the IPVS lane's guest VM included.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { clusterUp } from '../clusters/cluster.ts';
import { clusterScript } from '../clusters/paths.ts';
import { profileNames, type ProfileName } from '../clusters/profiles.ts';
import { CleanupStack, cleanupOnSignals } from '../helpers/cleanup.ts';
import { runHostChecked } from '../helpers/shell.ts';
import { timeout } from '../helpers/timeouts.ts';

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'iptables' },
    cold: { type: 'boolean', default: false },
    suites: { type: 'string' },
  },
});
const profile = values.profile as ProfileName;
if (!profileNames.includes(profile)) {
  console.error(`unknown profile "${values.profile}"; use one of: ${profileNames.join(', ')}`);
  process.exit(2);
}
const figures: [string, number][] = [];
const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

if (values.cold) {
  const dir = mkdtempSync(join(tmpdir(), 'knc-bench-cold-'));
  const t0 = performance.now();
  await runHostChecked(['bash', clusterScript('toolchain/build.sh')], {
    timeoutMs: timeout('toolchainBuild'),
    passStderr: true,
    env: {
      KNC_CACHE_DIR: dir,
      GOCACHE: join(dir, 'go-build'),
      GOMODCACHE: join(dir, 'go-mod'),
      GOFLAGS: '-modcacherw',
    },
  });
  figures.push(['cold toolchain build (empty caches, modules downloaded)', performance.now() - t0]);
  rmSync(dir, { recursive: true, force: true });
}

const timings = new Map<string, number>();
const name = `knc-bench-${profile}-${process.pid}`;
// clusterUp registers the removal of what it creates here; Ctrl-C runs it (`netconform run`, a
// child in the same process group, gets the signal too and removes its own objects first).
const cleanup = new CleanupStack({ log });
const removeHandlers = cleanupOnSignals(cleanup, log);
try {
  const upStart = performance.now();
  const state = await clusterUp({ profile, name, log, timings, cleanup });
  figures.push(['cluster up in all (warm caches)', performance.now() - upStart]);
  for (const [phase, ms] of timings) figures.push([phase, ms]);
  const suites = values.suites ?? (profile === 'ipvs' ? 'kube-proxy,clusterip' : undefined);
  if (suites !== undefined) {
    const reportDir = mkdtempSync(join(tmpdir(), 'knc-bench-suites-'));
    const runStart = performance.now();
    const run = spawnSync(
      join(import.meta.dirname, '..', 'bin', 'netconform'),
      ['run', '--kubeconfig', state.kubeconfig, '--suites', suites, '--report-dir', reportDir],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: {
          ...process.env,
          ...(state.guest === undefined
            ? {}
            : {
                DOCKER_HOST: state.guest.dockerHost,
                KNC_TIMEOUT_SCALE:
                  process.env.KNC_TIMEOUT_SCALE ?? String(state.guest.timeoutScale),
              }),
        },
      },
    );
    figures.push([
      `suites ${suites} (exit ${String(run.status)}, reports in ${reportDir})`,
      performance.now() - runStart,
    ]);
  }
} finally {
  const downStart = performance.now();
  await cleanup.runAll();
  figures.push(['cluster down', performance.now() - downStart]);
  removeHandlers();
}

const width = Math.max(...figures.map(([label]) => label.length));
console.log(`bench:cluster (profile ${profile})`);
for (const [label, ms] of figures)
  console.log(`${label.padEnd(width)}  ${(ms / 1000).toFixed(1).padStart(7)} s`);
