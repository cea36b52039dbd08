/**
 * The build steps `cluster up` runs, each timed and logged: the host, the offline toolchain, the
 * node image and the fixture images. Shared by the kind clusters on the host (cluster.ts) and the
 * IPVS lane's guest (guest-cluster.ts).
 */
import { checkDocker } from '../helpers/docker.ts';
import { runHostChecked } from '../helpers/shell.ts';
import { timeout, type TimeoutName } from '../helpers/timeouts.ts';
import { clusterScript } from './paths.ts';

/** Reads `KEY=value` from a script's stdout. */
export function outputValue(stdout: string, key: string, script: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`${key}=`));
  if (line === undefined) throw new Error(`${script} printed no ${key}= line`);
  return line.slice(key.length + 1).trim();
}

/** Runs one named step of `cluster up`: logs its start and duration, records it in `timings`. */
export async function step(
  what: string,
  log: (line: string) => void,
  work: () => Promise<string>,
  timings?: Map<string, number>,
): Promise<string> {
  const t0 = performance.now();
  log(`${what}…`);
  const result = await work();
  const ms = performance.now() - t0;
  timings?.set(what, ms);
  log(`${what}: done in ${(ms / 1000).toFixed(1)} s`);
  return result;
}

/** Builds (or finds in the cache) the offline toolchain; returns its bin directory. */
export async function ensureToolchain(
  log: (line: string) => void,
  timings?: Map<string, number>,
): Promise<string> {
  return step(
    'toolchain (kind, Kubernetes, etcd, CoreDNS, CNI, pause)',
    log,
    async () => {
      const script = clusterScript('toolchain/build.sh');
      const r = await runHostChecked(['bash', script], {
        timeoutMs: timeout('toolchainBuild'),
        passStderr: true,
      });
      return outputValue(r.stdout, 'TOOLCHAIN_BIN', script);
    },
    timings,
  );
}

/** Prepares the host: packages, the Docker engine, the runc wrapper where needed. */
export async function prepareHost(
  log: (line: string) => void,
  timings?: Map<string, number>,
): Promise<void> {
  await step(
    'host (Docker engine, packages)',
    log,
    async () => {
      await runHostChecked(['bash', clusterScript('host/prepare.sh')], {
        timeoutMs: timeout('hostPrepare'),
        passStderr: true,
      });
      return '';
    },
    timings,
  );
  await checkDocker();
}

/** The node image and fixture image tags built locally. */
export interface LocalImages {
  readonly nodeImage: string;
  readonly fixtureImages: readonly string[];
}

/** Builds (or finds cached) the node image and the fixture images, with no registry. */
export async function buildLocalImages(
  toolchain: string,
  log: (line: string) => void,
  timings?: Map<string, number>,
): Promise<LocalImages> {
  const nodeImage = await step(
    'node image (local, no registry)',
    log,
    async () => {
      const script = clusterScript('node-image/build.sh');
      const r = await runHostChecked(['bash', script], {
        timeoutMs: timeout('nodeImageBuild'),
        passStderr: true,
        env: { TOOLCHAIN_BIN: toolchain },
      });
      return outputValue(r.stdout, 'NODE_IMAGE', script);
    },
    timings,
  );
  const fixtures = await step(
    'fixture images (local, no registry)',
    log,
    async () => {
      const r = await runHostChecked(['bash', clusterScript('fixtures/build.sh')], {
        timeoutMs: timeout('fixturesBuild'),
        passStderr: true,
      });
      return r.stdout;
    },
    timings,
  );
  const fixtureImages = fixtures
    .split('\n')
    .filter((l) => l.startsWith('IMAGE '))
    .map((l) => l.split(' ')[2] ?? '')
    .filter((t) => t !== '');
  return { nodeImage, fixtureImages };
}

/** What {@link kindCreate} creates, and where. */
export interface KindCreateOptions {
  /** The kind binary of the offline toolchain. */
  readonly kind: string;
  readonly name: string;
  /** The kind config file of the profile. */
  readonly config: string;
  readonly nodeImage: string;
  /** Where kind writes the cluster's kubeconfig (never the user's ~/.kube/config). */
  readonly kubeconfig: string;
  /** The step's name in the log and the timings: "kind create cluster knc-iptables (…)". */
  readonly what: string;
  readonly deadline: TimeoutName;
  /** Extra environment (DOCKER_HOST of the IPVS lane's guest). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs `kind create cluster` as a timed step, without kind's own wait: the caller waits for the
 * nodes and CoreDNS with its own deadlines.
 */
export async function kindCreate(
  o: KindCreateOptions,
  log: (line: string) => void,
  timings?: Map<string, number>,
): Promise<void> {
  await step(
    o.what,
    log,
    async () => {
      await runHostChecked(
        [
          o.kind,
          'create',
          'cluster',
          '--name',
          o.name,
          '--config',
          o.config,
          '--image',
          o.nodeImage,
          '--kubeconfig',
          o.kubeconfig,
          '--wait',
          '0s',
        ],
        {
          timeoutMs: timeout(o.deadline),
          passStderr: true,
          ...(o.env === undefined ? {} : { env: o.env }),
        },
      );
      return '';
    },
    timings,
  );
}
