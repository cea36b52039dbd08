/**
 * `cluster up` and `cluster down`: a real multi-node kind cluster for a profile.
 *
 * Up: prepare the host (Docker engine, the privileged-container quirk), build or reuse the
 * toolchain, decide whether a registry is reachable (try pulling the public node image; or
 * --offline), build the node and fixture images locally when it is not, create the cluster with
 * kind, load the fixture images, and wait for every node and CoreDNS to be Ready. Down: delete
 * the cluster and remove every Docker tag and network that up created, keeping the expensive images
 * in the cache for next time.
 */
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { CleanupStack } from '../helpers/cleanup.ts';
import { SetupError } from '../helpers/errors.ts';
import { poll } from '../helpers/poll.ts';
import { runHost, runHostChecked } from '../helpers/shell.ts';
import { timeout } from '../helpers/timeouts.ts';
import {
  kubeconfigFile,
  readState,
  removeState,
  writeState,
  type ClusterState,
} from './cluster-state.ts';
import { hasImage, imageTags, removeTags, restoreImages, saveImages } from './image-store.ts';
import {
  buildLocalImages,
  ensureToolchain,
  kindCreate,
  outputValue,
  prepareHost,
  step,
} from './build-steps.ts';
import { guestClusterUp, guestTimeoutScale, stopGuest } from './guest-cluster.ts';
import { clusterScript } from './paths.ts';
import { defaultClusterName, profileConfig, type ProfileName } from './profiles.ts';
import { kubernetesVersion } from './versions.ts';

/** Options of {@link clusterUp}. */
export interface ClusterUpOptions {
  readonly profile: ProfileName;
  /** Cluster name (default knc-<profile>). */
  readonly name?: string;
  /** true: build everything locally; false: use public images; undefined: detect. */
  readonly offline?: boolean;
  /** Progress lines. */
  readonly log: (line: string) => void;
  /** When given, deleting a newly created cluster is registered on it (run-scoped clusters). */
  readonly cleanup?: CleanupStack;
  /** When given, receives the duration in ms of each phase (for benchmarks). */
  readonly timings?: Map<string, number>;
  /**
   * Install a LoadBalancer implementation (MetalLB in layer-2 mode, images built locally; see
   * docs/loadbalancer.md) once the cluster is Ready. Default true; `--no-load-balancer` turns it off.
   */
  readonly loadBalancer?: boolean;
}

/** True when this host's kernel can run kube-proxy in IPVS mode (ip_vs present or loadable). */
async function hostRunsIpvs(): Promise<boolean> {
  const r = await runHost(['bash', clusterScript('host/prepare.sh'), '--check-ipvs']);
  return r.exitCode === 0;
}

/** True while the QEMU process of a guest cluster is alive. */
function guestAlive(state: ClusterState): boolean {
  if (state.guest === undefined) return false;
  try {
    process.kill(state.guest.qemuPid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The public node image for the pinned Kubernetes version (used when a registry is reachable). */
export function publicNodeImage(): string {
  return `kindest/node:${kubernetesVersion()}`;
}

/** True when the public node image is present or can be pulled within the registryProbe deadline. */
async function registryReachable(image: string, log: (line: string) => void): Promise<boolean> {
  if (await hasImage(image)) return true;
  const r = await runHost(['docker', 'pull', '-q', image], { timeoutMs: timeout('registryProbe') });
  if (r.exitCode === 0) return true;
  log(
    `no registry: pulling ${image} failed (${(r.stderr.trim().split('\n').pop() ?? '').slice(0, 160)}); building every image locally`,
  );
  return false;
}

async function kindClusters(kind: string): Promise<string[]> {
  const r = await runHostChecked([kind, 'get', 'clusters']);
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('No kind clusters'));
}

/** How long the cluster took to become usable, from the start of the wait. */
export interface ReadyTimes {
  readonly nodes: number;
  readonly nodesReadyMs: number;
  readonly corednsReadyMs: number;
}

/** Waits until every node is Ready and CoreDNS is available. */
export async function waitClusterReady(
  kubeconfig: string,
  log: (line: string) => void,
): Promise<ReadyTimes> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const t0 = performance.now();
  const nodes = await poll({
    what: 'every node of the cluster Ready',
    deadline: 'nodesReady',
    intervalMs: 2000,
    attempt: async () => {
      const list = await core.listNode();
      const states = list.items.map(
        (n) =>
          `${n.metadata?.name ?? '?'}=${n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown'}`,
      );
      const ready = states.filter((s) => s.endsWith('=True')).length;
      return {
        done: list.items.length > 0 && ready === list.items.length,
        state: list.items.length,
        summary: states.join(', ') || 'no nodes',
      };
    },
  });
  const nodesReadyMs = performance.now() - t0;
  log(`${nodes} node(s) Ready after ${(nodesReadyMs / 1000).toFixed(1)} s`);
  await poll({
    what: 'CoreDNS available in kube-system',
    deadline: 'corednsReady',
    intervalMs: 2000,
    attempt: async () => {
      const d = await apps.readNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' });
      const want = d.spec?.replicas ?? 1;
      const have = d.status?.availableReplicas ?? 0;
      return {
        done: have >= want,
        state: have,
        summary: `${have} of ${want} CoreDNS replicas available`,
      };
    },
  });
  const corednsReadyMs = performance.now() - t0;
  log(`CoreDNS available after ${(corednsReadyMs / 1000).toFixed(1)} s`);
  return { nodes, nodesReadyMs, corednsReadyMs };
}

/**
 * Brings up (or reuses) the cluster of a profile and returns its record.
 * @throws {SetupError} when the profile cannot run here or a cluster of that name exists that
 * this project did not create.
 */
export async function clusterUp(options: ClusterUpOptions): Promise<ClusterState> {
  const { profile, log } = options;
  const name = options.name ?? defaultClusterName(profile);
  const timings = options.timings;
  await prepareHost(log, timings);
  const inGuest = profile === 'ipvs' && !(await hostRunsIpvs());
  if (inGuest) {
    log(
      "this kernel has no IP_VS: the ipvs cluster runs in a QEMU guest with Debian's stock kernel (docs/ipvs-lane.md)",
    );
    process.env.KNC_TIMEOUT_SCALE ??= String(guestTimeoutScale);
  }
  const before = await imageTags();
  await restoreImages(log);
  const toolchain = await ensureToolchain(log, timings);
  const kind = join(toolchain, 'kind');

  const existing = readState(name);
  if (inGuest) {
    if (existing !== undefined && guestAlive(existing)) {
      log(`reusing cluster ${name} in its guest VM (created ${existing.createdAt})`);
      await waitClusterReady(existing.kubeconfig, log);
      return existing;
    }
    if (existing !== undefined) await clusterDown(name, log);
    options.cleanup?.defer(`cluster ${name} in its guest VM`, async () => {
      if (readState(name) !== undefined) await clusterDown(name, log);
    });
    const state = await guestClusterUp({
      name,
      toolchain,
      kind,
      tagsBefore: before,
      log,
      ...(timings === undefined ? {} : { timings }),
    });
    await waitClusterReady(state.kubeconfig, log);
    return state;
  }
  if ((await kindClusters(kind)).includes(name)) {
    if (existing === undefined) {
      throw new SetupError(
        `a kind cluster named "${name}" exists, but kube-netconform did not create it`,
        `pass --cluster-name with another name, or delete it with \`kind delete cluster --name ${name}\``,
      );
    }
    log(`reusing cluster ${name} (created ${existing.createdAt})`);
    await waitClusterReady(existing.kubeconfig, log);
    return existing;
  }

  const publicImage = publicNodeImage();
  const offline = options.offline ?? !(await registryReachable(publicImage, log));
  let nodeImage = publicImage;
  const cachedTags: string[] = [];
  if (offline) {
    const built = await buildLocalImages(toolchain, log, timings);
    nodeImage = built.nodeImage;
    cachedTags.push(nodeImage, ...built.fixtureImages);
  }

  const loadBalancer = options.loadBalancer ?? true;
  if (loadBalancer) {
    // Built here, before the tags are counted, so that cluster down removes its images too.
    await step(
      'LoadBalancer images (MetalLB, from Go modules)',
      log,
      async () => {
        await runHostChecked(['bash', clusterScript('loadbalancer/build.sh')], {
          timeoutMs: timeout('loadBalancerBuild'),
          passStderr: true,
        });
        return '';
      },
      timings,
    );
  }

  // Image tags are created only by the builds above, so what up created is known from here on,
  // and a failure below (cluster creation, waits) can be undone exactly by clusterDown.
  const createdTags = [...(await imageTags())].filter((t) => !before.has(t)).sort();
  const networkBefore = (await runHost(['docker', 'network', 'inspect', 'kind'])).exitCode === 0;
  const kubeconfig = kubeconfigFile(name);
  options.cleanup?.defer(`kind cluster ${name}`, async () => {
    await clusterDown(name, log);
  });
  const state: ClusterState = {
    name,
    profile,
    kubeconfig,
    context: `kind-${name}`,
    nodeImage,
    offline,
    kind,
    createdTags,
    cachedTags,
    createdNetwork: !networkBefore,
    createdAt: new Date().toISOString(),
  };
  writeState(state);
  const createStart = performance.now();
  await kindCreate(
    {
      kind,
      name,
      config: profileConfig(profile),
      nodeImage,
      kubeconfig,
      what: `kind create cluster ${name} (profile ${profile})`,
      deadline: 'kindCreate',
    },
    log,
    timings,
  );
  if (offline) {
    await step(
      'loading fixture images into the nodes',
      log,
      async () => {
        await runHostChecked(['bash', clusterScript('fixtures/load.sh'), kind, name], {
          timeoutMs: timeout('imageLoad'),
          passStderr: true,
        });
        return '';
      },
      timings,
    );
  }
  if (offline) {
    // No registry means a closed machine: keep every packet from the nodes' network on it.
    await runHostChecked(['bash', clusterScript('host/contain-egress.sh'), 'add', 'kind']);
  }
  const waitStart = performance.now();
  const ready = await waitClusterReady(kubeconfig, log);
  timings?.set('cluster creation to all nodes Ready', waitStart - createStart + ready.nodesReadyMs);
  timings?.set('cluster creation to CoreDNS Ready', waitStart - createStart + ready.corednsReadyMs);
  if (loadBalancer) {
    const pool = await step(
      'LoadBalancer (MetalLB layer 2, pool from the nodes network)',
      log,
      async () => {
        const script = clusterScript('loadbalancer/install.sh');
        const r = await runHostChecked(['bash', script, kind, name, kubeconfig], {
          timeoutMs: timeout('loadBalancerInstall'),
          passStderr: true,
        });
        return outputValue(r.stdout, 'LOADBALANCER_POOL', script);
      },
      timings,
    );
    log(`LoadBalancer address pool: ${pool}`);
  }
  return state;
}

/** Deletes a cluster this project created and removes the Docker tags and network it created. */
export async function clusterDown(name: string, log: (line: string) => void): Promise<void> {
  const state = readState(name);
  if (state === undefined) {
    throw new SetupError(
      `kube-netconform has no record of a cluster named "${name}"`,
      'name one it created (`netconform cluster list`), or delete other clusters with kind itself',
    );
  }
  if (state.guest !== undefined) {
    // The guest holds the whole cluster; stopping it removes the nodes, their network and disks.
    await stopGuest(state.guest, log);
    // What follows (images, kind's network) is the host's Docker engine: `run` pointed DOCKER_HOST
    // at the guest's, which is gone now.
    if (process.env.DOCKER_HOST === state.guest.dockerHost) delete process.env.DOCKER_HOST;
  } else {
    log(`deleting kind cluster ${name}`);
    await runHostChecked(
      [state.kind, 'delete', 'cluster', '--name', name, '--kubeconfig', state.kubeconfig],
      { timeoutMs: timeout('kindCreate') },
    );
  }
  const others = (
    await runHost(['docker', 'ps', '-aq', '--filter', 'label=io.x-k8s.kind.cluster'])
  ).stdout.trim();
  if (state.createdTags.length > 0) {
    const inUseByOthers = others !== '';
    const keep = state.cachedTags.filter((t) => state.createdTags.includes(t));
    await saveImages(keep, log);
    if (inUseByOthers) {
      await removeTags(
        state.createdTags.filter((t) => t !== state.nodeImage),
        log,
      );
      log(`kept ${state.nodeImage}: other kind clusters are running`);
    } else {
      await removeTags(state.createdTags, log);
    }
  }
  if (others === '') {
    await runHostChecked(['bash', clusterScript('host/contain-egress.sh'), 'remove', 'kind']);
  }
  if (state.createdNetwork && others === '') {
    const r = await runHost(['docker', 'network', 'rm', 'kind']);
    if (r.exitCode !== 0 && !/not found/i.test(r.stderr))
      log(`kept network kind: ${r.stderr.trim()}`);
  }
  removeState(name);
  log(`cluster ${name} removed`);
}
