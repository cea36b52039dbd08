/**
 * The reaper: removes what an earlier run left behind when it crashed or was killed before its
 * cleanup stack ran. Every namespace and container a run creates carries the run's labels and
 * owner annotations (run-id.ts); an object is stale when its owning process on this host is gone,
 * or, for runs from other hosts, when it is older than the maximum run age. Live runs (two runs
 * against one cluster at once) are never touched.
 */
import type { CoreV1Api } from '@kubernetes/client-node';
import { isNotFound } from './cleanup.ts';
import { dockerChecked, type DockerEndpoint } from './docker.ts';
import { RunKeys } from './run-id.ts';

/** A run that may die before cleanup is older than this; its leftovers are then reaped. */
export const maxRunAgeMs = 6 * 60 * 60 * 1000;

/** Owner facts read back from an object's annotations or labels. */
export interface OwnerRecord {
  readonly run?: string | undefined;
  readonly host?: string | undefined;
  readonly pid?: string | undefined;
  readonly startedAt?: string | undefined;
}

/** The reaper's view of this machine. */
export interface ReaperContext {
  readonly host: string;
  readonly now: Date;
  /** True when a process with this pid exists on this host. */
  readonly isAlive: (pid: number) => boolean;
  /** Reap every managed object, live or not (`netconform clean --all`). */
  readonly all?: boolean;
}

/** The verdict on one object. */
export interface StaleVerdict {
  readonly stale: boolean;
  readonly reason: string;
}

/** Decides whether the run that owns an object is gone. */
export function staleness(owner: OwnerRecord, ctx: ReaperContext): StaleVerdict {
  if (ctx.all === true) return { stale: true, reason: 'clean --all' };
  const pid = owner.pid === undefined ? NaN : Number(owner.pid);
  if (owner.host === ctx.host && Number.isInteger(pid)) {
    return ctx.isAlive(pid)
      ? { stale: false, reason: `process ${pid} on this host is still running` }
      : { stale: true, reason: `process ${pid} on this host is gone` };
  }
  const started = owner.startedAt === undefined ? NaN : Date.parse(owner.startedAt);
  if (Number.isNaN(started))
    return { stale: false, reason: 'no owner record; left alone (use clean --all)' };
  const age = ctx.now.getTime() - started;
  return age > maxRunAgeMs
    ? {
        stale: true,
        reason: `started ${(age / 3_600_000).toFixed(1)} h ago on ${owner.host ?? 'another host'}`,
      }
    : {
        stale: false,
        reason: `run from ${owner.host ?? 'another host'} started ${(age / 60_000).toFixed(0)} min ago`,
      };
}

/** True when a process with `pid` exists (signal 0 probes without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One object the reaper looked at. */
export interface ReapedObject {
  readonly kind: 'namespace' | 'container';
  readonly name: string;
  readonly run: string | undefined;
  readonly verdict: StaleVerdict;
}

const selector = `${RunKeys.managedBy}=${RunKeys.managedByValue}`;

/** Deletes stale managed namespaces of the cluster; returns every managed namespace with its verdict. */
export async function reapNamespaces(core: CoreV1Api, ctx: ReaperContext): Promise<ReapedObject[]> {
  const list = await core.listNamespace({ labelSelector: selector });
  const seen: ReapedObject[] = [];
  for (const ns of list.items) {
    const name = ns.metadata?.name;
    if (name === undefined) continue;
    const a = ns.metadata?.annotations ?? {};
    const owner = {
      run: ns.metadata?.labels?.[RunKeys.run],
      host: a[RunKeys.host],
      pid: a[RunKeys.pid],
      startedAt: a[RunKeys.startedAt],
    };
    const verdict = staleness(owner, ctx);
    seen.push({ kind: 'namespace', name, run: owner.run, verdict });
    if (verdict.stale && ns.status?.phase !== 'Terminating') {
      try {
        await core.deleteNamespace({ name });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }
  return seen;
}

/**
 * Removes stale managed Docker containers (probe servers, external clients) of the engine at
 * `endpoint`; returns every one seen. An engine that is not there has none.
 */
export async function reapContainers(
  endpoint: DockerEndpoint,
  ctx: ReaperContext,
): Promise<ReapedObject[]> {
  if (endpoint.unavailable !== undefined) return [];
  const format = [
    '{{.ID}}',
    '{{.Names}}',
    `{{.Label "${RunKeys.run}"}}`,
    `{{.Label "${RunKeys.host}"}}`,
    `{{.Label "${RunKeys.pid}"}}`,
    `{{.Label "${RunKeys.startedAt}"}}`,
  ].join('\t');
  const listed = await dockerChecked(endpoint, [
    'ps',
    '-a',
    '--filter',
    `label=${selector}`,
    '--format',
    format,
  ]);
  const seen: ReapedObject[] = [];
  for (const line of listed.stdout.split('\n').filter((l) => l.trim() !== '')) {
    const [id = '', name = '', run, host, pid, startedAt] = line.split('\t');
    const verdict = staleness({ run, host, pid, startedAt }, ctx);
    seen.push({ kind: 'container', name, run, verdict });
    if (verdict.stale) await dockerChecked(endpoint, ['rm', '-f', '-v', id]);
  }
  return seen;
}

/**
 * Removes every namespace and container of one run, by its run label: the last cleanup step of a
 * run, which also covers objects whose own removal never ran (a suite process killed by Ctrl-C).
 * Returns what it removed.
 * @throws when the run's Docker engine cannot list or remove its containers.
 */
export async function removeRunObjects(
  core: CoreV1Api,
  endpoint: DockerEndpoint,
  runId: string,
): Promise<string[]> {
  const removed: string[] = [];
  const list = await core.listNamespace({ labelSelector: `${RunKeys.run}=${runId}` });
  for (const ns of list.items) {
    const name = ns.metadata?.name;
    if (name === undefined || ns.status?.phase === 'Terminating') continue;
    try {
      await core.deleteNamespace({ name });
      removed.push(`namespace ${name}`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  if (endpoint.unavailable !== undefined) return removed;
  for (const name of await runContainers(endpoint, runId)) {
    await dockerChecked(endpoint, ['rm', '-f', '-v', name]);
    removed.push(`container ${name}`);
  }
  return removed;
}

/**
 * Names of the containers of run `runId` in the engine at `endpoint`.
 * @throws {SetupError} when the engine does not answer.
 */
export async function runContainers(endpoint: DockerEndpoint, runId: string): Promise<string[]> {
  const r = await dockerChecked(endpoint, [
    'ps',
    '-a',
    '--filter',
    `label=${RunKeys.run}=${runId}`,
    '--format',
    '{{.Names}}',
  ]);
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}
