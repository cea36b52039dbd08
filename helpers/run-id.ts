/**
 * The identity of one run: an id unique across runs and hosts, and the labels and annotations
 * that every object the run creates carries, so that cleanup and the reaper can find them.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Label and annotation keys the project writes. */
export const RunKeys = {
  /** Standard label marking every object kube-netconform creates. */
  managedBy: 'app.kubernetes.io/managed-by',
  /** Value of the managedBy label. */
  managedByValue: 'kube-netconform',
  /** Label holding the run id. */
  run: 'kube-netconform/run',
  /** Annotation: the host the run executes on. */
  host: 'kube-netconform/host',
  /** Annotation: the process id of the run on that host. */
  pid: 'kube-netconform/pid',
  /** Annotation: when the run started (ISO 8601). */
  startedAt: 'kube-netconform/started-at',
} as const;

/** Who is running and since when. */
export interface RunIdentity {
  /** Unique id, also a valid label value and DNS label fragment: knc-YYYYMMDD-HHMMSS-xxxxxx. */
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: Date;
}

/** Creates the identity of a new run. `random` supplies 3 random bytes (tests pin it). */
export function newRun(
  now: Date = new Date(),
  random: () => Buffer = () => randomBytes(3),
): RunIdentity {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return {
    id: `knc-${stamp}-${random().toString('hex')}`,
    host: hostname(),
    pid: process.pid,
    startedAt: now,
  };
}

/** Labels for every Kubernetes object of the run. */
export function runLabels(run: RunIdentity): Record<string, string> {
  return { [RunKeys.managedBy]: RunKeys.managedByValue, [RunKeys.run]: run.id };
}

/** Annotations that let a later run decide whether this run is still alive. */
export function runAnnotations(run: RunIdentity): Record<string, string> {
  return {
    [RunKeys.host]: run.host,
    [RunKeys.pid]: String(run.pid),
    [RunKeys.startedAt]: run.startedAt.toISOString(),
  };
}

/** Docker labels (flat keys, same values) for containers the run starts. */
export function runDockerLabels(run: RunIdentity): Record<string, string> {
  return { ...runLabels(run), ...runAnnotations(run) };
}

/** A name for an object of this run: `<prefix>-<last 6 hex of the run id>`, at most 63 characters. */
export function runScopedName(run: RunIdentity, prefix: string): string {
  return `${prefix}-${run.id.slice(-6)}`.slice(0, 63);
}
