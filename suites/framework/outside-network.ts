/**
 * Whether a host outside the cluster can be played here: a container on the nodes' Docker network
 * (outside.ts). On our kind profiles it can; for an existing cluster it can when
 * the run's Docker engine has that network (the run description's nodesNetwork, default "kind") and the cluster's
 * nodes are on it (one of their InternalIPs among the network's containers), e.g. a kind cluster
 * given by --kubeconfig. Read once, before the checks are registered, so the check that needs it
 * is skipped with the reason instead of failing.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { docker } from '../../helpers/docker.ts';
import { suiteEnvironment } from './environment.ts';

let cached: Promise<string | undefined> | undefined;

async function detect(): Promise<string | undefined> {
  const env = suiteEnvironment();
  if (env.profile !== 'existing') return undefined;
  const { settings, docker: endpoint } = env.description;
  const network = settings.nodesNetwork;
  if (endpoint.unavailable !== undefined) return endpoint.unavailable;
  const inspect = await docker(endpoint, [
    'network',
    'inspect',
    network,
    '--format',
    '{{range .Containers}}{{.IPv4Address}} {{.IPv6Address}} {{end}}',
  ]);
  if (inspect.exitCode !== 0) {
    return `no Docker network "${network}" of the nodes in the Docker engine ${endpoint.host}: ${inspect.stderr.trim() || `exit ${String(inspect.exitCode)}`}`;
  }
  const onNetwork = new Set(
    inspect.stdout
      .split(/\s+/)
      .filter((a) => a !== '')
      .map((a) => a.replace(/\/\d+$/, '')),
  );
  const nodes = await env.kubeConfig.makeApiClient(CoreV1Api).listNode();
  const ips = nodes.items.flatMap(
    (n) => n.status?.addresses?.filter((a) => a.type === 'InternalIP').map((a) => a.address) ?? [],
  );
  return ips.some((ip) => onNetwork.has(ip))
    ? undefined
    : `none of the nodes' InternalIPs (${ips.join(', ')}) is on the Docker network "${network}"`;
}

/** What a user can do about it, added to every reason. */
const provide =
  'run from a machine whose Docker engine has a network the nodes are on (DOCKER_HOST, --nodes-network NAME), e.g. the machine that runs a kind cluster';

/**
 * Why no outside host can be started for this cluster, with how to provide one, or undefined
 * when one can. Checks that need one skip with it (see {@link needsOutsideHost}).
 */
export function outsideHostUnavailable(): Promise<string | undefined> {
  cached ??= detect().then((why) => (why === undefined ? undefined : `${why}; ${provide}`));
  return cached;
}
