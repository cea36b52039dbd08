/**
 * The state around an area's failed checks, gathered once per area after its checks ran and
 * before its namespace is removed, only when a check of the area failed (quiet on success): what a
 * platform engineer reads first when a network check fails, as cilium-cli's sysdump and
 * Sonobuoy's results do.
 *
 * - the area's pods (phase, conditions, restarts, node, IPs) and events;
 * - kube-system's kube-proxy and CoreDNS pods and the events of kube-system;
 * - the logs of kube-proxy on the involved nodes (those the area's pods ran on: each node's
 *   kube-proxy programs that node's rules), and of the CoreDNS pods (a pod's queries reach any of
 *   them through the kube-dns Service, wherever they run).
 *
 * Every request shares one deadline (`stateDump`): a broken cluster may not answer, and what is
 * not in by then is named as not gathered. A refused request (a role without `get pods/log` in
 * kube-system, see docs/rbac.md) is named with the API server's answer. Nothing here throws.
 * Bounds and text: state-dump-format.ts; the file and the report's attachment:
 * reports/state-dumps.ts.
 */
import {
  ApiException,
  Observable,
  type ConfigurationOptions,
  type CoreV1Api,
  type CoreV1Event,
  type V1Pod,
} from '@kubernetes/client-node';
import { messageOf, messageWithCauses } from '../../helpers/errors.ts';
import { timeout } from '../../helpers/timeouts.ts';
import { writeStateDump } from '../../reports/state-dumps.ts';
import {
  dumpBounds,
  formatEvents,
  formatPods,
  renderStateDump,
  tailOfLog,
  type DumpBounds,
  type DumpSection,
  type StateDumpContent,
} from './state-dump-format.ts';

/** The API calls a dump makes. */
export type DumpApi = Pick<
  CoreV1Api,
  'listNamespacedPod' | 'listNamespacedEvent' | 'readNamespacedPodLog'
>;

/** What to dump. */
export interface StateDumpRequest {
  readonly area: string;
  /** The area's namespace. */
  readonly namespace: string;
  readonly runId: string;
  readonly failedChecks: readonly string[];
  readonly setUpFailure?: string;
  readonly api: DumpApi;
  /** The deadline of the whole dump (default: the stateDump deadline). */
  readonly budgetMs?: number;
  readonly bounds?: DumpBounds;
}

/** The labels of kube-proxy's and CoreDNS's pods (kubeadm's, kept by most distributions). */
export const componentSelectors = {
  kubeProxy: 'k8s-app=kube-proxy',
  coredns: 'k8s-app=kube-dns',
} as const;

/** A piece that was gathered, or why it was not. */
type Outcome<T> = { readonly value: T } | { readonly problem: string };

/** Why a request failed, in one line: the API server's own words for an HTTP error. */
export function describeApiError(error: unknown): string {
  if (error instanceof ApiException) {
    let body: unknown = error.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // a plain text body is its own message
      }
    }
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? String(body.message)
        : String(body).slice(0, 300);
    return `HTTP ${error.code}: ${message}`;
  }
  return messageWithCauses(error);
}

/** The problem line of a refused or failed request. */
function problemOf(error: unknown): string {
  const refused = error instanceof ApiException && (error.code === 401 || error.code === 403);
  return refused
    ? `not readable with this user's rights: ${describeApiError(error)}`
    : `not gathered: ${describeApiError(error)}`;
}

/** Per-request options that abort the request when `signal` fires. */
function abortingOn(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

const byName = (a: V1Pod, b: V1Pod): number =>
  (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');

/** Gathers the dump of one area; never throws (what failed is named in the dump). */
export async function gatherStateDump(request: StateDumpRequest): Promise<StateDumpContent> {
  const { api, namespace } = request;
  const bounds = request.bounds ?? dumpBounds;
  const budgetMs = request.budgetMs ?? timeout('stateDump');
  const started = performance.now();
  const gatheredAt = new Date();
  const controller = new AbortController();
  const seconds = (budgetMs / 1000).toFixed(budgetMs < 10_000 ? 1 : 0);
  const expiredNote = `not gathered: the dump's deadline of ${seconds} s (stateDump) passed first`;
  const expired = Symbol('expired');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof expired>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(expired);
    }, budgetMs);
  });
  const options = abortingOn(controller.signal);
  const hasExpired = (): boolean => controller.signal.aborted;
  const settle = async <T>(work: (o: ConfigurationOptions) => Promise<T>): Promise<Outcome<T>> => {
    if (hasExpired()) return { problem: expiredNote };
    try {
      const value = await Promise.race([work(options), deadline]);
      return value === expired ? { problem: expiredNote } : { value: value as T };
    } catch (error) {
      return hasExpired() ? { problem: expiredNote } : { problem: problemOf(error) };
    }
  };
  const pods = (ns: string, labelSelector?: string): Promise<Outcome<V1Pod[]>> =>
    settle(async (o) =>
      (
        await api.listNamespacedPod(
          { namespace: ns, ...(labelSelector === undefined ? {} : { labelSelector }) },
          o,
        )
      ).items.sort(byName),
    );
  const events = (ns: string): Promise<Outcome<CoreV1Event[]>> =>
    settle(async (o) => (await api.listNamespacedEvent({ namespace: ns }, o)).items);

  try {
    const [areaPods, areaEvents, proxies, dnsPods, systemEvents] = await Promise.all([
      pods(namespace),
      events(namespace),
      pods('kube-system', componentSelectors.kubeProxy),
      pods('kube-system', componentSelectors.coredns),
      events('kube-system'),
    ]);
    const involvedNodes =
      'value' in areaPods
        ? [...new Set(areaPods.value.flatMap((p) => p.spec?.nodeName ?? []))].sort()
        : [];
    const body = <T>(o: Outcome<T>, text: (v: T) => string): string =>
      'value' in o ? text(o.value) : o.problem;

    // Logs: kube-proxy of the involved nodes, then the CoreDNS pods, each bounded.
    const involved = new Set(involvedNodes);
    const proxyPods = 'value' in proxies ? proxies.value : [];
    const proxyOnInvolved = proxyPods
      .filter((p) => involved.has(p.spec?.nodeName ?? ''))
      .sort((a, b) => (a.spec?.nodeName ?? '').localeCompare(b.spec?.nodeName ?? ''));
    const logTargets = [
      ...proxyOnInvolved
        .slice(0, bounds.kubeProxyLogs)
        .map((p) => ({ component: 'kube-proxy', pod: p })),
      ...('value' in dnsPods ? dnsPods.value : [])
        .slice(0, bounds.corednsLogs)
        .map((p) => ({ component: 'CoreDNS', pod: p })),
    ];
    const logs = await Promise.all(
      logTargets.map(async ({ component, pod }): Promise<DumpSection> => {
        const name = pod.metadata?.name ?? '?';
        const container = pod.spec?.containers[0]?.name;
        const log = await settle((o) =>
          api.readNamespacedPodLog(
            {
              name,
              namespace: 'kube-system',
              ...(container === undefined ? {} : { container }),
              tailLines: bounds.tailLines,
              // more than is kept, so the newest bytes of the tail are there to keep
              limitBytes: 4 * bounds.logBytes,
              timestamps: true,
            },
            o,
          ),
        );
        return {
          title: `${component} logs: kube-system/${name}${container === undefined ? '' : ` [${container}]`} on ${pod.spec?.nodeName ?? '?'}, last ${bounds.tailLines} lines`,
          body: 'value' in log ? tailOfLog(log.value, bounds.logBytes) : log.problem,
        };
      }),
    );
    const proxyLogsNote =
      'value' in proxies && proxyOnInvolved.length > bounds.kubeProxyLogs
        ? [
            {
              title: 'kube-proxy logs left out',
              body: `the involved nodes ${proxyOnInvolved
                .slice(bounds.kubeProxyLogs)
                .map((p) => p.spec?.nodeName ?? '?')
                .join(', ')} (kube-proxy of at most ${bounds.kubeProxyLogs} nodes)`,
            },
          ]
        : [];

    const sections: DumpSection[] = [
      {
        title: `pods in ${namespace}`,
        body: body(areaPods, (v) => formatPods(v, 'no pods')),
      },
      {
        title: `events in ${namespace}`,
        body: body(areaEvents, (v) => formatEvents(v, bounds.events, bounds.eventMessage)),
      },
      {
        title: `kube-proxy pods in kube-system (${componentSelectors.kubeProxy})`,
        body: body(proxies, (v) =>
          formatPods(v, `no pod labelled ${componentSelectors.kubeProxy}: no kube-proxy here`),
        ),
      },
      {
        title: `CoreDNS pods in kube-system (${componentSelectors.coredns})`,
        body: body(dnsPods, (v) =>
          formatPods(
            v,
            `no pod labelled ${componentSelectors.coredns}: no CoreDNS pod runs (scaled to zero, or another DNS server)`,
          ),
        ),
      },
      {
        title: 'events in kube-system',
        body: body(systemEvents, (v) => formatEvents(v, bounds.events, bounds.eventMessage)),
      },
      ...logs,
      ...proxyLogsNote,
    ];
    return {
      area: request.area,
      namespace,
      runId: request.runId,
      failedChecks: request.failedChecks,
      ...(request.setUpFailure === undefined ? {} : { setUpFailure: request.setUpFailure }),
      involvedNodes,
      gatheredAt,
      durationMs: Math.round(performance.now() - started),
      budgetMs,
      sections,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Gathers, renders and writes the dump of one area (reports/state-dumps.ts puts it into the
 * report), and says where on stderr with its size and the time it took. Never throws: a dump
 * that cannot be written is said on stderr, and the area's cleanup goes on.
 */
export async function dumpAreaState(
  request: StateDumpRequest,
  reportDir?: string,
): Promise<string | undefined> {
  try {
    const dump = await gatherStateDump(request);
    const text = renderStateDump(dump, request.bounds);
    const path = writeStateDump(request.area, text, reportDir);
    const kib = (Buffer.byteLength(text, 'utf8') / 1024).toFixed(1);
    process.stderr.write(
      `[${request.area}] state dump: ${path} (${kib} KiB, gathered in ${(dump.durationMs / 1000).toFixed(1)} s)\n`,
    );
    return path;
  } catch (error) {
    process.stderr.write(`[${request.area}] state dump not written: ${messageOf(error)}\n`);
    return undefined;
  }
}
