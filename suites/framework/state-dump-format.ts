/**
 * The text of an area's state dump (suites/framework/state-dump.ts gathers it when a check of the
 * area failed): a header saying what it is for and how it is bounded, then one section per piece
 * (the area's pods and events, kube-system's kube-proxy and CoreDNS pods and events, their logs).
 * Pure, so the formatting and every bound are tested without a cluster.
 *
 * Bounded like cilium-cli's sysdump and Sonobuoy's pod logs are, by lines and bytes per log, and
 * here also in all, so that a noisy cluster cannot make the report heavy: see {@link dumpBounds}.
 */
import type { CoreV1Event, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

/** How big a state dump may get. */
export const dumpBounds = {
  /** The newest events kept per namespace. */
  events: 100,
  /** Characters of one event's message (a failed image pull can be long). */
  eventMessage: 400,
  /** Lines asked for from the end of each log (kubectl logs --tail). */
  tailLines: 200,
  /** Bytes kept from the end of each log. */
  logBytes: 32 * 1024,
  /** Bytes of one whole dump, header included; later sections are cut beyond it. */
  totalBytes: 256 * 1024,
  /** kube-proxy logs: of this many involved nodes at most (by name). */
  kubeProxyLogs: 6,
  /** CoreDNS logs: of this many CoreDNS pods at most (by name). */
  corednsLogs: 3,
} as const;

/** The bounds of {@link dumpBounds}, or others (tests). */
export type DumpBounds = { readonly [K in keyof typeof dumpBounds]: number };

/** One piece of a dump: a title and its text. */
export interface DumpSection {
  readonly title: string;
  readonly body: string;
}

/** Everything a dump says, before it is rendered and bounded in all. */
export interface StateDumpContent {
  readonly area: string;
  readonly namespace: string;
  readonly runId: string;
  /** Ids of the area's checks that did not pass. */
  readonly failedChecks: readonly string[];
  /** The first line of the area's set-up failure, when its set-up failed. */
  readonly setUpFailure?: string;
  /** The nodes the area's pods ran on. */
  readonly involvedNodes: readonly string[];
  readonly gatheredAt: Date;
  readonly durationMs: number;
  /** The deadline the dump was gathered within, in ms. */
  readonly budgetMs: number;
  readonly sections: readonly DumpSection[];
}

const kib = (bytes: number): string =>
  bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A date as the API shows it, to the second; "?" when missing. */
function isoTime(date: Date | undefined): string {
  return date === undefined ? '?' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One container's state in a few words: "running since T", "waiting (Reason: message)". */
function containerState(s: V1ContainerStatus): string {
  const { running, waiting, terminated } = s.state ?? {};
  if (running !== undefined) return `running since ${isoTime(running.startedAt)}`;
  if (waiting !== undefined)
    return `waiting (${[waiting.reason, waiting.message].filter(Boolean).join(': ') || 'no reason given'})`;
  if (terminated !== undefined)
    return `terminated ${terminated.reason ?? ''} (exit ${String(terminated.exitCode)}) at ${isoTime(terminated.finishedAt)}`.replace(
      /  +/g,
      ' ',
    );
  return 'no state reported';
}

/**
 * A container's line when it says something: not running and ready, or restarted. Init
 * containers that completed say nothing.
 */
function containerLine(s: V1ContainerStatus, init: boolean): string | undefined {
  const done = s.state?.terminated?.exitCode === 0;
  if (init && done) return undefined;
  const fine = s.state?.running !== undefined && s.ready;
  if (!init && fine && s.restartCount === 0) return undefined;
  const last = s.lastState?.terminated;
  const parts = [
    `${init ? 'init container' : 'container'} ${s.name}: ${containerState(s)}`,
    ...(init || s.ready ? [] : ['not ready']),
    ...(s.restartCount > 0 ? [`restarts ${s.restartCount}`] : []),
    ...(last === undefined
      ? []
      : [
          `last terminated ${last.reason ?? ''} (exit ${String(last.exitCode)}) at ${isoTime(last.finishedAt)}`.replace(
            /  +/g,
            ' ',
          ),
        ]),
  ];
  return `  ${parts.join(', ')}`;
}

/**
 * A pod's state: phase, ready containers, restarts, node and IPs on the first line; its
 * conditions (each False one with its reason and message) on the second; then a line for each
 * container that is not running and ready or that restarted.
 */
export function formatPod(pod: V1Pod): string {
  const status = pod.status ?? {};
  const containers = status.containerStatuses ?? [];
  const ready = containers.filter((c) => c.ready).length;
  const restarts = containers.reduce((n, c) => n + c.restartCount, 0);
  const ips = (status.podIPs ?? []).map((p) => p.ip).filter(Boolean);
  const podIps = ips.length > 0 ? ips : status.podIP === undefined ? [] : [status.podIP];
  const phase = [
    status.phase ?? 'no phase',
    pod.metadata?.deletionTimestamp === undefined
      ? undefined
      : `terminating since ${isoTime(pod.metadata.deletionTimestamp)}`,
    [status.reason, status.message].filter(Boolean).join(': ') || undefined,
  ].filter(Boolean);
  const first = [
    `${pod.metadata?.name ?? '?'}: ${phase.join(', ')}`,
    `ready ${ready}/${pod.spec?.containers.length ?? containers.length}`,
    `restarts ${restarts}`,
    `node ${pod.spec?.nodeName ?? '(not scheduled)'}`,
    `pod IP ${podIps.length > 0 ? podIps.join(' ') : 'none'}`,
    `host IP ${status.hostIP ?? 'none'}`,
  ].join(', ');
  const conditions = (status.conditions ?? []).map((c) =>
    c.status === 'True'
      ? c.type
      : `${c.type}=${c.status}${c.reason || c.message ? ` (${[c.reason, c.message].filter(Boolean).join(': ')})` : ''}`,
  );
  const lines = [first, `  conditions: ${conditions.length > 0 ? conditions.join(', ') : 'none'}`];
  for (const s of status.initContainerStatuses ?? []) {
    const line = containerLine(s, true);
    if (line !== undefined) lines.push(line);
  }
  for (const s of containers) {
    const line = containerLine(s, false);
    if (line !== undefined) lines.push(line);
  }
  return lines.join('\n');
}

/** Pods by name, one block each; `none` says what an empty list means. */
export function formatPods(pods: readonly V1Pod[], none: string): string {
  if (pods.length === 0) return none;
  return [...pods]
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .map(formatPod)
    .join('\n');
}

/** When an event last happened (the newest of its timestamps). */
export function eventTime(e: CoreV1Event): Date | undefined {
  return (
    e.series?.lastObservedTime ??
    e.lastTimestamp ??
    e.eventTime ??
    e.firstTimestamp ??
    e.metadata.creationTimestamp
  );
}

/**
 * One event as a line: time, type, reason, object, who reported it, the message (cut to
 * `maxMessage` characters) and how often it happened.
 */
export function formatEvent(e: CoreV1Event, maxMessage: number = dumpBounds.eventMessage): string {
  const object = `${(e.involvedObject.kind ?? '?').toLowerCase()}/${e.involvedObject.name ?? '?'}`;
  const source = [e.source?.component ?? e.reportingComponent, e.source?.host]
    .filter(Boolean)
    .join(', ');
  const raw = (e.message ?? '').replace(/\s+/g, ' ').trim();
  const message = raw.length <= maxMessage ? raw : `${raw.slice(0, maxMessage - 1)}…`;
  const count = e.series?.count ?? e.count ?? 1;
  return [
    isoTime(eventTime(e)),
    e.type ?? '?',
    e.reason ?? '?',
    object,
    ...(source === '' ? [] : [`(${source})`]),
    `${message}${count > 1 ? ` (x${count})` : ''}`,
  ].join('  ');
}

/** The newest `max` events, oldest first, with a line saying how many older ones were left out. */
export function formatEvents(
  events: readonly CoreV1Event[],
  max: number = dumpBounds.events,
  maxMessage: number = dumpBounds.eventMessage,
): string {
  if (events.length === 0) return 'no events';
  const byTime = [...events].sort(
    (a, b) => (eventTime(a)?.getTime() ?? 0) - (eventTime(b)?.getTime() ?? 0),
  );
  const kept = byTime.slice(-max);
  const left = byTime.length - kept.length;
  return [
    ...(left > 0 ? [`… ${left} older event(s) left out (the newest ${max} are kept)`] : []),
    ...kept.map((e) => formatEvent(e, maxMessage)),
  ].join('\n');
}

/**
 * The end of a log, at most `maxBytes` of it, starting at a line: the newest lines say most about
 * a failure that just happened. A first line says how much was left out.
 */
export function tailOfLog(text: string, maxBytes: number = dumpBounds.logBytes): string {
  const log = text.trimEnd();
  if (log === '') return '(empty log)';
  const bytes = Buffer.from(log, 'utf8');
  if (bytes.length <= maxBytes) return log;
  let kept = bytes.subarray(bytes.length - maxBytes).toString('utf8');
  const newline = kept.indexOf('\n');
  if (newline >= 0 && newline < kept.length - 1) kept = kept.slice(newline + 1);
  const left = bytes.length - byteLength(kept);
  return `… ${left} earlier byte(s) left out (${kib(maxBytes)} per log)\n${kept}`;
}

/** The longest start of `text` that fits in `maxBytes`, cut at a line when there is one. */
function headOf(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  let head = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  // a character cut in two decodes to U+FFFD; drop it
  head = head.replace(/\uFFFD$/, '');
  const newline = head.lastIndexOf('\n');
  return newline > 0 ? head.slice(0, newline) : head;
}

/** The bounds as the header states them. */
export function describeBounds(bounds: DumpBounds, budgetMs: number): string {
  return (
    `the newest ${bounds.events} events per namespace; the last ${bounds.tailLines} lines of each ` +
    `log, at most ${kib(bounds.logBytes)} each, kube-proxy of at most ${bounds.kubeProxyLogs} nodes ` +
    `and at most ${bounds.corednsLogs} CoreDNS pods; ${kib(bounds.totalBytes)} in all; gathered ` +
    `within ${(budgetMs / 1000).toFixed(0)} s (stateDump in helpers/timeouts.ts)`
  );
}

/**
 * The dump as a file and an attachment: the header, then each section under `=== title ===`
 * while the whole stays within `bounds.totalBytes`; the section that does not fit is cut, and
 * the ones after it are named as left out.
 */
export function renderStateDump(dump: StateDumpContent, bounds: DumpBounds = dumpBounds): string {
  const header = [
    `state dump of area ${dump.area} (namespace ${dump.namespace}, run ${dump.runId}), gathered at ${isoTime(dump.gatheredAt)} in ${(dump.durationMs / 1000).toFixed(1)} s`,
    `for the failed checks: ${dump.failedChecks.length > 0 ? dump.failedChecks.join(', ') : 'none'}`,
    ...(dump.setUpFailure === undefined ? [] : [`the area's set-up failed: ${dump.setUpFailure}`]),
    `involved nodes (where the area's pods ran): ${dump.involvedNodes.length > 0 ? dump.involvedNodes.join(', ') : 'none'}`,
    `bounds: ${describeBounds(bounds, dump.budgetMs)}`,
  ].join('\n');
  let out = `${header}\n`;
  for (const [i, section] of dump.sections.entries()) {
    const text = `\n=== ${section.title} ===\n${section.body.trimEnd()}\n`;
    if (byteLength(out) + byteLength(text) <= bounds.totalBytes) {
      out += text;
      continue;
    }
    const rest = dump.sections.slice(i + 1).map((s) => s.title);
    const note =
      `… cut here: the dump's cap of ${kib(bounds.totalBytes)} is reached` +
      (rest.length > 0 ? `; left out: ${rest.join('; ')}` : '') +
      '\n';
    const room = bounds.totalBytes - byteLength(out) - byteLength(note) - 1;
    const head = headOf(text, room);
    out += `${head}${head === '' || head.endsWith('\n') ? '' : '\n'}${note}`;
    break;
  }
  return out;
}
