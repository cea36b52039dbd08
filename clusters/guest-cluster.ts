/**
 * The IPVS lane: a kind cluster with kube-proxy in IPVS mode inside a QEMU guest that boots
 * Debian's stock kernel, for hosts whose kernel has no IP_VS (see docs/ipvs-lane.md).
 *
 * kind, the suites and testcontainers all stay on the host and drive the guest's Docker engine
 * through DOCKER_HOST (a port of the host's loopback that QEMU forwards into the guest); the API
 * server is reached the same way. The guest itself reaches nothing (QEMU's restrict=on), so the
 * cluster is as closed as the host's offline clusters.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runHostChecked } from '../helpers/shell.ts';
import { timeout } from '../helpers/timeouts.ts';
import { buildLocalImages, kindCreate, outputValue, step } from './build-steps.ts';
import {
  kubeconfigFile,
  writeState,
  type ClusterState,
  type GuestRecord,
} from './cluster-state.ts';
import { imageTags } from './image-store.ts';
import { cacheDir, clusterScript, repoRoot } from './paths.ts';

/** Deadlines of runs against a guest cluster are multiplied by this unless a scale is given. */
export const guestTimeoutScale = 4;

/** What {@link guestClusterUp} needs from `cluster up`. */
export interface GuestClusterUpOptions {
  readonly name: string;
  readonly toolchain: string;
  readonly kind: string;
  /** The host's image tags before `cluster up` started (to know which ones it created). */
  readonly tagsBefore: ReadonlySet<string>;
  readonly log: (line: string) => void;
  readonly timings?: Map<string, number>;
}

/** The kind config of the lane. */
export function guestProfileConfig(): string {
  return join(repoRoot, 'clusters', 'profiles', 'ipvs-guest.yaml');
}

/** Points a kubeconfig written by kind in the guest at the host port QEMU forwards. */
export function pointKubeconfigAtHostPort(text: string, apiPort: number): string {
  return text.replace(
    /server: https:\/\/[^\s:]+:6443/g,
    `server: https://127.0.0.1:${String(apiPort)}`,
  );
}

/** Reads `KEY=value` lines printed by clusters/guest/vm.sh start. */
function vmEnv(stdout: string, script: string): Omit<GuestRecord, 'vmDir' | 'timeoutScale'> {
  return {
    dockerHost: outputValue(stdout, 'DOCKER_HOST', script),
    apiPort: Number(outputValue(stdout, 'API_PORT', script)),
    qemuPid: Number(outputValue(stdout, 'QEMU_PID', script)),
  };
}

/** Stops the guest VM of a cluster and removes its disk overlay. */
export async function stopGuest(guest: GuestRecord, log: (line: string) => void): Promise<void> {
  log(`stopping the guest VM (QEMU pid ${String(guest.qemuPid)})`);
  await runHostChecked(['bash', clusterScript('guest/vm.sh'), 'stop', guest.vmDir]);
}

/**
 * Builds (or reuses) the guest and a node image that already holds the fixture images, loads that
 * image and the fixture images into the guest's disk, boots a throwaway copy of it and creates a one-node kind cluster in
 * IPVS mode inside (no `kind load` under emulation); returns the record.
 */
export async function guestClusterUp(options: GuestClusterUpOptions): Promise<ClusterState> {
  const { name, toolchain, kind, log, timings } = options;
  const images = await buildLocalImages(toolchain, log, timings);
  const guestDir = await step(
    'guest VM image (Debian stock kernel with IPVS, Docker)',
    log,
    async () => {
      const script = clusterScript('guest/build.sh');
      const r = await runHostChecked(['bash', script], {
        timeoutMs: timeout('guestImageBuild'),
        passStderr: true,
      });
      return outputValue(r.stdout, 'GUEST_DIR', script);
    },
    timings,
  );
  const nodeImage = await step(
    'node image with the fixture images in its containerd (for the guest)',
    log,
    async () => {
      const script = clusterScript('guest/node-with-fixtures.sh');
      const r = await runHostChecked(['bash', script, images.nodeImage, ...images.fixtureImages], {
        timeoutMs: timeout('nodeImageBuild'),
        passStderr: true,
      });
      return outputValue(r.stdout, 'NODE_IMAGE', script);
    },
    timings,
  );
  // The fixture images go into the guest's own Docker too: the suites start their hosts outside
  // the cluster (testcontainers) there, on the guest's kind network.
  await step(
    'guest disk: node image and fixture images',
    log,
    async () => {
      await runHostChecked(
        [
          'bash',
          clusterScript('guest/vm.sh'),
          'provision',
          guestDir,
          nodeImage,
          ...images.fixtureImages,
        ],
        {
          timeoutMs: timeout('guestProvision'),
          passStderr: true,
        },
      );
      return '';
    },
    timings,
  );
  const createdTags = [...(await imageTags())].filter((t) => !options.tagsBefore.has(t)).sort();
  const vmDir = join(cacheDir(), 'clusters', `${name}.vm`);
  const started = await step(
    'guest VM boot (software emulation)',
    log,
    async () => {
      const script = clusterScript('guest/vm.sh');
      const r = await runHostChecked(['bash', script, 'start', guestDir, vmDir], {
        timeoutMs: timeout('guestBoot'),
        passStderr: true,
      });
      return r.stdout;
    },
    timings,
  );
  const guest: GuestRecord = {
    vmDir,
    ...vmEnv(started, 'clusters/guest/vm.sh'),
    timeoutScale: guestTimeoutScale,
  };
  const kubeconfig = kubeconfigFile(name);
  const state: ClusterState = {
    name,
    profile: 'ipvs',
    kubeconfig,
    context: `kind-${name}`,
    nodeImage,
    offline: true,
    kind,
    createdTags,
    cachedTags: [images.nodeImage, ...images.fixtureImages, nodeImage],
    createdNetwork: false,
    createdAt: new Date().toISOString(),
    guest,
  };
  // From here on `cluster down` (or the run's cleanup) can stop the VM through this record.
  writeState(state);
  await runHostChecked([
    'bash',
    clusterScript('guest/vm.sh'),
    'stage',
    guest.dockerHost,
    clusterScript('guest/kubeadm-patches'),
    '/etc/knc/kubeadm-patches',
  ]);
  await kindCreate(
    {
      kind,
      name,
      config: guestProfileConfig(),
      nodeImage,
      kubeconfig,
      what: `kind create cluster ${name} in the guest (profile ipvs, one node)`,
      deadline: 'guestKindCreate',
      env: { DOCKER_HOST: guest.dockerHost },
    },
    log,
    timings,
  );
  writeFileSync(
    kubeconfig,
    pointKubeconfigAtHostPort(readFileSync(kubeconfig, 'utf8'), guest.apiPort),
  );
  return state;
}
