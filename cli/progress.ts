/**
 * The one line per check that `netconform run` prints while the suites work, in the format of the
 * cluster steps (cli/program.ts): time since the run started, a mark, the check's duration, its id.
 *
 *   [  84.2s] ✓  1.2s dns/a-service-name-resolves-to-its-cluster-ip
 *   [  91.0s] ✗  6.8s dns/named-ports-have-srv-records: expected 2 SRV targets, saw 1
 *   [  91.0s] -       kube-proxy/ipvs-… (skipped: kube-proxy is not in IPVS mode)
 *   [  91.0s] ▶       dns/a-pod-ip-name-resolves-to-the-pod-ip          (started; terminals only)
 */

/** What happened to a check. */
export type CheckEvent =
  | { readonly kind: 'started' }
  | { readonly kind: 'passed'; readonly durationMs: number }
  | { readonly kind: 'failed'; readonly durationMs: number; readonly message: string }
  | { readonly kind: 'skipped'; readonly reason: string };

const marks = { started: '▶', passed: '✓', failed: '✗', skipped: '-' } as const;

/** Longest failure message shown on the line; the reports carry the whole of it. */
const maxMessage = 160;

/** `[  12.3s]`: seconds since the run started, as the cluster steps print them. */
export function elapsedPrefix(elapsedMs: number): string {
  return `[${(Math.max(0, elapsedMs) / 1000).toFixed(1).padStart(6)}s]`;
}

/** The first meaningful line of a jest failure message: no colours, no "Error:" prefix. */
export function firstLine(message: string): string {
  const plain = message.replace(/\u001b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex
  const line =
    plain
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  const text = line.replace(/^(?:\w*Error|CheckFailure|thrown):\s*/, '');
  return text.length > maxMessage ? `${text.slice(0, maxMessage - 1)}…` : text;
}

/** One progress line for `event` of the check `id`. */
export function formatCheckLine(id: string, event: CheckEvent, elapsedMs: number): string {
  const duration =
    event.kind === 'passed' || event.kind === 'failed'
      ? `${(event.durationMs / 1000).toFixed(1)}s`
      : '';
  const head = `${elapsedPrefix(elapsedMs)} ${marks[event.kind]} ${duration.padStart(5)} ${id}`;
  switch (event.kind) {
    case 'failed': {
      const why = firstLine(event.message);
      return why === '' ? head : `${head}: ${why}`;
    }
    case 'skipped':
      return `${head} (skipped: ${event.reason})`;
    default:
      return head;
  }
}
