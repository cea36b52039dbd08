// Lifecycle of a real kind cluster through the command line, as users drive it:
//  - `cluster up` gives a cluster whose every node is Ready;
//  - a run interrupted with SIGINT exits 130 and leaves none of its namespaces or containers;
//  - `cluster down` leaves Docker's containers, networks and image tags as they were before `up`.
// Slow (about two minutes): it creates and deletes its own cluster.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { poll } from '../helpers/poll.ts';
import { RunKeys } from '../helpers/run-id.ts';
import { readState } from './cluster-state.ts';

const bin = resolve(import.meta.dirname, '..', 'bin', 'netconform');
const name = `knc-lifecycle-${process.pid}`;

function lines(argv: string[]): Set<string> {
  const r = spawnSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8' });
  return new Set(r.stdout.split('\n').filter((l) => l.trim() !== ''));
}

function dockerState(): Record<string, Set<string>> {
  return {
    containers: lines(['docker', 'ps', '-a', '--format', '{{.Names}}']),
    networks: lines(['docker', 'network', 'ls', '--format', '{{.Name}}']),
    tags: lines(['docker', 'images', '--format', '{{.Repository}}:{{.Tag}}']),
  };
}

/** Objects of this test's cluster only, so concurrent work elsewhere does not disturb the diff. */
function diff(
  before: Record<string, Set<string>>,
  after: Record<string, Set<string>>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(before)) {
    const b = before[key] ?? new Set<string>();
    const a = after[key] ?? new Set<string>();
    const added = [...a].filter((x) => !b.has(x));
    const removed = [...b].filter((x) => !a.has(x));
    out[key] = [...added.map((x) => `+${x}`), ...removed.map((x) => `-${x}`)].filter(
      (x) => key !== 'containers' || x.includes(name),
    );
  }
  return out;
}

function netconform(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((done) =>
    child.on('exit', (code) => {
      done({ code, output });
    }),
  );
}

describe('a kind cluster made by netconform', () => {
  const before = dockerState();
  let up = false;

  afterAll(async () => {
    if (readState(name) !== undefined)
      await netconform(['cluster', 'down', '--cluster-name', name]);
  }, 300_000);

  it('comes up with every node Ready', async () => {
    const r = await netconform(['cluster', 'up', '--cluster-name', name]);
    expect(r.output).toMatch(/3 node\(s\) Ready/);
    expect(r.code).toBe(0);
    up = true;
  }, 900_000);

  it('a run interrupted with SIGINT exits 130 and removes its namespaces', async () => {
    expect(up).toBe(true);
    const state = readState(name);
    if (state === undefined) throw new Error('no cluster state');
    const kc = new KubeConfig();
    kc.loadFromFile(state.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    const child = spawn(
      bin,
      ['run', '--kubeconfig', state.kubeconfig, '--suites', 'pod-networking'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    const runLabel = await poll({
      what: 'a namespace of the interrupted run',
      deadline: 'namespaceReady',
      intervalMs: 200,
      attempt: async () => {
        const list = await core.listNamespace({
          labelSelector: `${RunKeys.managedBy}=${RunKeys.managedByValue}`,
        });
        const run = list.items
          .map((n) => n.metadata?.labels?.[RunKeys.run])
          .find((r) => r !== undefined);
        return { done: run !== undefined, state: run ?? '' };
      },
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const left = await core.listNamespace({ labelSelector: `${RunKeys.run}=${runLabel}` });
    expect(
      left.items.filter((n) => n.status?.phase !== 'Terminating').map((n) => n.metadata?.name),
    ).toEqual([]);
    expect([
      ...lines(['docker', 'ps', '-aq', '--filter', `label=${RunKeys.run}=${runLabel}`]),
    ]).toEqual([]);
  }, 300_000);

  it('cluster down leaves the containers, networks and image tags as they were', async () => {
    expect(up).toBe(true);
    const r = await netconform(['cluster', 'down', '--cluster-name', name]);
    expect(r.code).toBe(0);
    expect(diff(before, dockerState())).toEqual({ containers: [], networks: [], tags: [] });
  }, 300_000);
});
