/**
 * Loading the cluster to test from a kubeconfig, with errors that name the problem and the fix:
 * a missing or malformed file, an unknown context, an API server that does not answer, or
 * credentials it rejects.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { VersionApi, type KubeConfig } from '@kubernetes/client-node';
import { RetryingKubeConfig } from './api-retry.ts';
import { withDeadline } from './deadline.ts';
import { messageOf, messageWithCauses, SetupError } from './errors.ts';
import { timeout } from './timeouts.ts';

/** Where to find the cluster. */
export interface ClusterSource {
  /** Path of the kubeconfig; default: the first file of $KUBECONFIG that exists, then ~/.kube/config. */
  readonly kubeconfig?: string;
  /** Context to use; default: the file's current-context. */
  readonly context?: string;
}

/**
 * The kubeconfig path that {@link loadKubeConfig} reads for `source`, as kubectl finds it:
 * --kubeconfig, else the first file of the KUBECONFIG list that exists (its first entry when none
 * does), else ~/.kube/config.
 */
export function kubeconfigPath(
  source: ClusterSource,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (source.kubeconfig !== undefined && source.kubeconfig !== '') return source.kubeconfig;
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  return listed.find((p) => existsSync(p)) ?? listed[0] ?? join(homedir(), '.kube', 'config');
}

/**
 * Reads and validates the kubeconfig and selects the context. Its API clients retry the answers
 * that mean "not now" (helpers/api-retry.ts).
 * @throws {SetupError} for a missing or malformed file, an unknown context, or a context whose
 * cluster has no server address or one that is not an http(s) URL.
 */
export function loadKubeConfig(
  source: ClusterSource,
  env: NodeJS.ProcessEnv = process.env,
): KubeConfig {
  const path = kubeconfigPath(source, env);
  if (!existsSync(path)) {
    if (source.kubeconfig === undefined && (env.KUBECONFIG ?? '') !== '')
      throw new SetupError(
        `KUBECONFIG=${env.KUBECONFIG ?? ''} names no file that exists`,
        'point KUBECONFIG at the kubeconfig of the cluster to test, pass --kubeconfig PATH, or unset KUBECONFIG to have `netconform run` create a kind cluster',
      );
    throw new SetupError(
      `no kubeconfig at ${path}`,
      'pass --kubeconfig PATH (or set KUBECONFIG) for an existing cluster, or use --profile iptables to create a kind cluster',
    );
  }
  const kc = new RetryingKubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (error) {
    throw new SetupError(
      `the kubeconfig ${path} cannot be read: ${messageOf(error).split('\n')[0] ?? ''}`,
      `repair the file (\`kubectl config view --kubeconfig ${path}\` shows what is wrong) or point --kubeconfig at a valid one`,
      { cause: error },
    );
  }
  const names = kc.getContexts().map((c) => c.name);
  if (names.length === 0) {
    throw new SetupError(
      `the kubeconfig ${path} defines no context`,
      'point --kubeconfig at a file that has a context (kind export kubeconfig writes one)',
    );
  }
  const wanted = source.context ?? kc.getCurrentContext();
  if (wanted === '' || kc.getContextObject(wanted) === null) {
    throw new SetupError(
      wanted === ''
        ? `the kubeconfig ${path} has no current-context`
        : `context "${wanted}" does not exist in ${path}`,
      `pass --context with one of: ${names.join(', ')}`,
    );
  }
  kc.setCurrentContext(wanted);
  const cluster = kc.getCurrentCluster();
  if (cluster === null || cluster.server === '') {
    throw new SetupError(
      `context "${wanted}" in ${path} refers to a cluster with no server address`,
      'fix the clusters: entry of that context in the kubeconfig',
    );
  }
  if (!/^https?:$/.test(URL.parse(cluster.server)?.protocol ?? '')) {
    throw new SetupError(
      `context "${wanted}" in ${path} refers to the server address "${cluster.server}", which is not an http(s) URL`,
      'fix the clusters: entry of that context in the kubeconfig (e.g. server: https://127.0.0.1:6443)',
    );
  }
  return kc;
}

/** Facts about the API server learned from GET /version. */
export interface ApiServerInfo {
  readonly server: string;
  readonly gitVersion: string;
}

/**
 * Asks the API server for its version within the apiReachable deadline.
 * @throws {SetupError} naming the server and context when it refuses, times out, or rejects
 * the credentials.
 */
export async function checkApiReachable(
  kc: KubeConfig,
  budgetMs = timeout('apiReachable'),
): Promise<ApiServerInfo> {
  const server = kc.getCurrentCluster()?.server ?? '(none)';
  const where = `the API server ${server} (context "${kc.getCurrentContext()}")`;
  const api = kc.makeApiClient(VersionApi);
  try {
    const info = await withDeadline(`GET ${server}/version`, budgetMs, () => api.getCode());
    return { server, gitVersion: info.gitVersion };
  } catch (error) {
    const text = messageWithCauses(error);
    const code = (error as { code?: unknown }).code;
    if (code === 401) {
      throw new SetupError(
        `${where} rejected the credentials (HTTP 401)`,
        'refresh the credentials in the kubeconfig (a ServiceAccount token expires, and dies with its ServiceAccount: docs/rbac.md shows how to make a new one), or use another --context',
        { cause: error },
      );
    }
    if (code === 403) {
      throw new SetupError(
        `${where} refused the user of the kubeconfig even GET /version (HTTP 403)`,
        'give the user the kube-netconform-runner role (clusters/rbac/kube-netconform-runner.yaml, see docs/rbac.md), or use a context whose user may read the cluster',
        { cause: error },
      );
    }
    if (text.includes('ECONNREFUSED')) {
      throw new SetupError(
        `${where} refused the connection: nothing listens there`,
        'start the cluster (for kind: npm run cluster:up) or fix the server address in the kubeconfig',
        { cause: error },
      );
    }
    if (/did not finish within|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/.test(text)) {
      throw new SetupError(
        `${where} did not answer within ${(budgetMs / 1000).toFixed(0)} s`,
        'check that the cluster is running and reachable from this machine (VPN, firewall), or raise --timeout-scale',
        { cause: error },
      );
    }
    if (/\bbad port\b/.test(text)) {
      throw new SetupError(
        `${where} is on a port that fetch() refuses to connect to ("bad port": it is reserved for another protocol)`,
        'fix the server address in the kubeconfig: the https URL and port the API server listens on (often 6443)',
        { cause: error },
      );
    }
    if (/ENOTFOUND|EAI_AGAIN/.test(text)) {
      throw new SetupError(
        `${where}: its host name does not resolve`,
        'fix the server address in the kubeconfig',
        { cause: error },
      );
    }
    throw new SetupError(
      `${where} could not be reached: ${messageOf(error)}`,
      'check the cluster and the kubeconfig',
      {
        cause: error,
      },
    );
  }
}
