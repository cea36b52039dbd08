/**
 * Every deadline the project waits on, in one place, with the reason for its size.
 *
 * Values are milliseconds for a healthy kind cluster on a 2-core machine. Slow clusters
 * (emulated VMs, busy CI runners) scale them all with KNC_TIMEOUT_SCALE or `--timeout-scale`.
 */
import { SetupError } from './errors.ts';

export const baseTimeouts = {
  /** One shell command that talks to a local tool (docker, kind, kubectl). */
  shellCommand: 60_000,
  /** The API server answering a first request (GET /version). */
  apiReachable: 10_000,
  /** A namespace created by a run becoming usable (default ServiceAccount present). */
  namespaceReady: 30_000,
  /** Pods of a fixture scheduled, images present on the node, containers Ready. */
  podReady: 120_000,
  /** A Deployment rolled out to its replica count. */
  deploymentReady: 120_000,
  /** EndpointSlices of a Service reflecting a change of ready pods (controller + informer lag). */
  endpointsConverge: 30_000,
  /** kube-proxy programming a Service change into the node's rules (its sync period is 30 s max). */
  proxyRulesConverge: 45_000,
  /** A DNS answer reflecting a change of Services or endpoints (CoreDNS cache is 30 s). */
  dnsConverge: 45_000,
  /** An API request the server answered 429, 503 or 504 ("not now"): retried until this has passed. */
  apiTransient: 120_000,
  /** One probe command run inside a pod (curl/dig loop with its own per-request timeouts). */
  probeExec: 60_000,
  /** A namespace and everything in it deleted (finalizers, graceful pod termination). */
  namespaceDeleted: 120_000,
  /** One cleanup step; each step gets a fresh deadline of this size. */
  cleanupStep: 60_000,
  /** An admission webhook configuration taking effect in the API server, or ceasing to (its informer). */
  webhookConfigured: 30_000,
  /** RBAC bindings and admission policies taking effect in the API server (its informers). */
  accessRulesInEffect: 30_000,
  /** All nodes of a newly created kind cluster Ready. */
  nodesReady: 300_000,
  /** CoreDNS Deployment available after cluster creation. */
  corednsReady: 300_000,
  /** Building the offline toolchain from Go modules with empty caches (measured ~30 min on 2 cores). */
  toolchainBuild: 75 * 60_000,
  /** Building the node image (debootstrap, component images, import into containerd). */
  nodeImageBuild: 30 * 60_000,
  /** Building the fixture images from Debian packages. */
  fixturesBuild: 20 * 60_000,
  /** Preparing the host: apt installs and starting the Docker engine. */
  hostPrepare: 15 * 60_000,
  /** `kind create cluster` up to the point where kubeadm has finished on every node. */
  kindCreate: 10 * 60_000,
  /** Loading the fixture images into every node of a cluster. */
  imageLoad: 10 * 60_000,
  /** One attempt to pull an image, used to learn whether a registry is reachable. */
  registryProbe: 30_000,
  /** Setting up one suite's fixtures (namespace, deployments, client pods). */
  suiteSetup: 5 * 60_000,
  /** One check, all its probes and waits included. */
  checkRun: 5 * 60_000,
  /**
   * Gathering the state dump of an area with a failed check (a few lists and up to a dozen log
   * tails: about a second on a healthy kind cluster). The cluster may be the broken thing: what is
   * not in by then is named as not gathered, and the area's cleanup goes on.
   */
  stateDump: 30_000,
  /** A LoadBalancer Service getting an external address. */
  loadBalancerAddress: 60_000,
  /** Building MetalLB's controller and speaker from Go modules (measured ~4 min cold on 2 busy cores). */
  loadBalancerBuild: 20 * 60_000,
  /** Loading MetalLB's images, applying it and waiting for its controller and speakers. */
  loadBalancerInstall: 5 * 60_000,
  /** A released LoadBalancer address disappearing and becoming assignable again. */
  loadBalancerRelease: 30_000,
  /** Headless Chromium started and connected to playwright (a cold start on 2 busy cores: a few seconds). */
  browserStart: 60_000,
  /** One browser action (an evaluation, a navigation, a screenshot of a tall window is the slowest). */
  browserCommand: 30_000,
  /** Chromium closing: its processes ended and its profile removed. */
  browserStop: 10_000,
  /** The Allure report in the browser showing what a navigation or a click asked for. */
  reportRender: 60_000,
  /** The IPVS lane's guest: debootstrap of Debian with its stock kernel and Docker, cold. */
  guestImageBuild: 20 * 60_000,
  /** Loading the node image (with the fixtures) into the guest's disk under emulation, cold (~12 min seen). */
  guestProvision: 40 * 60_000,
  /** Booting the guest under emulation until its Docker engine answers (1–3.5 min seen). */
  guestBoot: 10 * 60_000,
  /** `kind create cluster` inside the guest, control plane started under emulation. */
  guestKindCreate: 30 * 60_000,
} as const;

/** The name of a deadline in {@link baseTimeouts}. */
export type TimeoutName = keyof typeof baseTimeouts;

/** Reads the scale factor from KNC_TIMEOUT_SCALE (default 1); rejects non-positive or non-numeric values. */
export function timeoutScale(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KNC_TIMEOUT_SCALE;
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new SetupError(
      `KNC_TIMEOUT_SCALE must be a positive number, got "${raw}"`,
      'set KNC_TIMEOUT_SCALE to a number such as 2 (or unset it), or pass --timeout-scale 2',
    );
  }
  return value;
}

/**
 * A probe's own time limit (curl --connect-timeout/--max-time, a readiness probe's timeout) in whole
 * seconds, multiplied by the scale factor: on a slow cluster (the IPVS lane's emulated guest) a
 * healthy backend answers slowly, and a fixed 2 s limit would count it as a failure.
 */
export function probeSeconds(base: number, scale = timeoutScale()): number {
  return Math.max(1, Math.ceil(base * scale));
}

/** The deadline `name` in milliseconds, multiplied by the scale factor. */
export function timeout(name: TimeoutName, scale = timeoutScale()): number {
  return Math.round(baseTimeouts[name] * scale);
}
