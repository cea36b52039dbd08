// Lifecycle of a real kind cluster through the command line, as users drive it:
//  - `cluster up` gives a cluster whose every node is Ready;
//  - a run interrupted with SIGINT exits 130 and leaves none of its namespaces or containers;
//  - a run whose DOCKER_HOST does not answer exits 2 before it creates anything, even while the
//    default socket answers; a run whose Docker engine goes away under it exits 2 and says what to
//    remove, and `netconform clean` removes it; a run killed with SIGKILL leaves nothing of its own
//    once `netconform clean` ran (each checked by the run's labels);
//  - `cluster down` leaves Docker's containers, networks and image tags as they were before `up`.
// Slow (about two minutes): it creates and deletes its own cluster.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

function netconform(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((done) =>
    child.on('exit', (code) => {
      done({ code, output });
    }),
  );
}

/** Run labels of the managed containers in the default Docker engine. */
function runsWithContainers(): Set<string> {
  return lines([
    'docker',
    'ps',
    '-a',
    '--filter',
    `label=${RunKeys.managedBy}=${RunKeys.managedByValue}`,
    '--format',
    `{{.Label "${RunKeys.run}"}}`,
  ]);
}

/** The run label of the first container of a new run (not in `before`) in the default engine. */
function firstRunContainer(before: ReadonlySet<string>): Promise<string> {
  return poll({
    what: 'a container of the run outside the cluster',
    deadline: 'suiteSetup',
    intervalMs: 200,
    attempt: () => {
      const run = [...runsWithContainers()].find((r) => !before.has(r));
      return Promise.resolve({ done: run !== undefined, state: run ?? '' });
    },
  });
}

/** Containers and (not yet deleted) namespaces that carry the label of run `run`. */
async function objectsOfRun(core: CoreV1Api, run: string): Promise<string[]> {
  const selector = `${RunKeys.run}=${run}`;
  const namespaces = await poll({
    what: `the namespaces of run ${run} deleted`,
    deadline: 'namespaceDeleted',
    intervalMs: 1000,
    attempt: async () => {
      const names = (await core.listNamespace({ labelSelector: selector })).items.map(
        (n) => n.metadata?.name ?? '?',
      );
      return { done: names.length === 0, state: names };
    },
  }).catch(async () => (await core.listNamespace({ labelSelector: selector })).items);
  return [
    ...namespaces.map((n) => `namespace ${typeof n === 'string' ? n : (n.metadata?.name ?? '?')}`),
    ...[
      ...lines(['docker', 'ps', '-a', '--filter', `label=${selector}`, '--format', '{{.Names}}']),
    ].map((c) => `container ${c}`),
  ];
}

/** A Docker endpoint of our own: a socket that forwards to the default one until it is closed. */
async function dockerProxy(): Promise<{ host: string; close: () => Promise<void> }> {
  const path = join(mkdtempSync(join(tmpdir(), 'knc-docker-proxy-')), 'docker.sock');
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const engine = createConnection('/var/run/docker.sock');
    for (const s of [client, engine]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(engine).pipe(client);
  });
  await new Promise<void>((done) => server.listen(path, done));
  return {
    host: `unix://${path}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => {
          done();
        });
        for (const s of open) s.destroy();
      }),
  };
}

function coreOf(kubeconfig: string): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return kc.makeApiClient(CoreV1Api);
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

  it('a run whose DOCKER_HOST does not answer exits 2 before it creates anything', async () => {
    expect(up).toBe(true);
    const state = readState(name);
    if (state === undefined) throw new Error('no cluster state');
    const core = coreOf(state.kubeconfig);
    const managed = async (): Promise<Set<string>> =>
      new Set(
        (
          await core.listNamespace({
            labelSelector: `${RunKeys.managedBy}=${RunKeys.managedByValue}`,
          })
        ).items.map((n) => n.metadata?.name ?? '?'),
      );
    const [namespacesBefore, containersBefore] = [await managed(), runsWithContainers()];
    const missing = `unix://${join(mkdtempSync(join(tmpdir(), 'knc-docker-')), 'missing.sock')}`;
    const r = await netconform(
      ['run', '--kubeconfig', state.kubeconfig, '--suites', 'pod-networking'],
      { DOCKER_HOST: missing },
    );
    expect(r.output).toContain(`DOCKER_HOST=${missing} names a Docker engine that does not answer`);
    expect(r.code).toBe(2);
    expect([...(await managed())].filter((n) => !namespacesBefore.has(n))).toEqual([]);
    expect([...runsWithContainers()].filter((c) => !containersBefore.has(c))).toEqual([]);
  }, 300_000);

  it('a run whose Docker engine goes away under it exits 2 and says what to remove; clean removes it', async () => {
    expect(up).toBe(true);
    const state = readState(name);
    if (state === undefined) throw new Error('no cluster state');
    const before = runsWithContainers();
    const proxy = await dockerProxy();
    const finished = netconform(
      ['run', '--kubeconfig', state.kubeconfig, '--suites', 'pod-networking'],
      { DOCKER_HOST: proxy.host },
    );
    const run = await firstRunContainer(before);
    await proxy.close();
    const r = await finished;
    expect(r.output).toContain(`cleanup of run ${run} left`);
    expect(r.output).toContain(
      `docker --host ${proxy.host} ps -a --filter label=${RunKeys.run}=${run}`,
    );
    expect(r.code).toBe(2);
    const clean = await netconform(['clean', '--kubeconfig', state.kubeconfig]);
    expect(clean.code).toBe(0);
    expect(await objectsOfRun(coreOf(state.kubeconfig), run)).toEqual([]);
  }, 600_000);

  it('a run killed with SIGKILL leaves nothing of its own once netconform clean ran', async () => {
    expect(up).toBe(true);
    const state = readState(name);
    if (state === undefined) throw new Error('no cluster state');
    const before = runsWithContainers();
    const child = spawn(
      bin,
      ['run', '--kubeconfig', state.kubeconfig, '--suites', 'pod-networking'],
      { stdio: 'ignore', detached: true },
    );
    const exited = new Promise<unknown>((done) => child.on('exit', done));
    const run = await firstRunContainer(before);
    // The whole process group, as a CI runner's hard timeout kills a job.
    process.kill(-(child.pid ?? 0), 'SIGKILL');
    await exited;
    const clean = await netconform(['clean', '--kubeconfig', state.kubeconfig]);
    expect(clean.output).toMatch(
      new RegExp(`removed +container knc-pod-networking-\\S+ \\(run ${run}\\)`),
    );
    expect(clean.code).toBe(0);
    expect(await objectsOfRun(coreOf(state.kubeconfig), run)).toEqual([]);
  }, 600_000);

  it('cluster down leaves the containers, networks and image tags as they were', async () => {
    expect(up).toBe(true);
    const r = await netconform(['cluster', 'down', '--cluster-name', name]);
    expect(r.code).toBe(0);
    expect(diff(before, dockerState())).toEqual({ containers: [], networks: [], tags: [] });
  }, 300_000);
});
