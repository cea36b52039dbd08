// The set-up errors a user meets first, each produced for real (a real file, a real closed port,
// a real docker client) and checked for a message that names the problem and the fix.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { checkDocker } from './docker.ts';
import { SetupError } from './errors.ts';
import { checkApiReachable, kubeconfigPath, loadKubeConfig } from './kubeconfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'knc-kubeconfig-'));

function kubeconfig(server: string, contexts = ['kind-a']): string {
  const path = join(dir, `config-${Math.random().toString(16).slice(2)}`);
  const ctx = contexts.map((c) => `- name: ${c}\n  context: { cluster: c1, user: u1 }`).join('\n');
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\ncurrent-context: ${contexts[0] ?? ''}\nclusters:\n- name: c1\n  cluster: { server: "${server}", insecure-skip-tls-verify: true }\nusers:\n- name: u1\n  user: { token: abc }\ncontexts:\n${ctx}\n`,
  );
  return path;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return address.port;
}

function setupError(fn: () => unknown): SetupError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SetupError) return error;
    throw error;
  }
  throw new Error('expected a SetupError');
}

describe('kubeconfig errors', () => {
  it('a missing file says where it looked and how to give one', () => {
    const e = setupError(() => loadKubeConfig({ kubeconfig: join(dir, 'nope') }));
    expect(e.message).toBe(`no kubeconfig at ${join(dir, 'nope')}`);
    expect(e.fix).toMatch(/--kubeconfig PATH.*--profile iptables/);
  });

  it('a malformed file is named with the parser message and a way to inspect it', () => {
    const path = join(dir, 'broken');
    writeFileSync(path, 'apiVersion: v1\nclusters: [\n  - {name: : x\n');
    const e = setupError(() => loadKubeConfig({ kubeconfig: path }));
    expect(e.message).toMatch(new RegExp(`^the kubeconfig ${path} cannot be read: .+`));
    expect(e.fix).toContain(`kubectl config view --kubeconfig ${path}`);
  });

  it('an unknown context lists the ones that exist', () => {
    const path = kubeconfig('https://127.0.0.1:6443', ['kind-a', 'prod']);
    const e = setupError(() => loadKubeConfig({ kubeconfig: path, context: 'staging' }));
    expect(e.message).toBe(`context "staging" does not exist in ${path}`);
    expect(e.fix).toBe('pass --context with one of: kind-a, prod');
  });

  it('KUBECONFIG is a list: its first file that exists is read, as kubectl does', () => {
    const present = kubeconfig('https://127.0.0.1:6443', ['from-env']);
    const env = { KUBECONFIG: `${join(dir, 'absent')}::${present}` };
    expect(kubeconfigPath({}, env)).toBe(present);
    expect(loadKubeConfig({}, env).getCurrentContext()).toBe('from-env');
    expect(kubeconfigPath({ kubeconfig: join(dir, 'flag') }, env)).toBe(join(dir, 'flag'));
  });

  it('a KUBECONFIG that names no file that exists is named, with the ways out', () => {
    const env = { KUBECONFIG: `${join(dir, 'a')}:${join(dir, 'b')}` };
    const e = setupError(() => loadKubeConfig({}, env));
    expect(e.message).toBe(`KUBECONFIG=${env.KUBECONFIG} names no file that exists`);
    expect(e.fix).toMatch(/--kubeconfig PATH, or unset KUBECONFIG/);
  });

  it.each(['127.0.0.1 6443', 'https://127.0.0.1:70000', 'ftp://127.0.0.1'])(
    'a server address that is no http(s) URL (%s) is named',
    (server) => {
      const path = kubeconfig(server);
      expect(setupError(() => loadKubeConfig({ kubeconfig: path })).message).toBe(
        `context "kind-a" in ${path} refers to the server address "${server}", which is not an http(s) URL`,
      );
    },
  );

  it('selects the requested context', () => {
    const path = kubeconfig('https://127.0.0.1:6443', ['kind-a', 'prod']);
    expect(loadKubeConfig({ kubeconfig: path, context: 'prod' }).getCurrentContext()).toBe('prod');
  });
});

describe('API server reachability', () => {
  it('a closed port is reported as refused, naming the server and context', async () => {
    const port = await closedPort();
    const kc = loadKubeConfig({ kubeconfig: kubeconfig(`https://127.0.0.1:${port}`) });
    const error = await checkApiReachable(kc, 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).message).toBe(
      `the API server https://127.0.0.1:${port} (context "kind-a") refused the connection: nothing listens there`,
    );
    expect((error as SetupError).fix).toMatch(/npm run cluster:up/);
  });

  it('a port that fetch() refuses ("bad port") is named at once, with the fix', async () => {
    const kc = loadKubeConfig({ kubeconfig: kubeconfig('https://127.0.0.1:1') });
    const error = await checkApiReachable(kc, 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).message).toBe(
      'the API server https://127.0.0.1:1 (context "kind-a") is on a port that fetch() refuses to connect to ("bad port": it is reserved for another protocol)',
    );
    expect((error as SetupError).fix).toMatch(/^fix the server address in the kubeconfig/);
  });

  it('a server that accepts but never answers is reported as not answering in time', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      const kc = loadKubeConfig({ kubeconfig: kubeconfig(`https://127.0.0.1:${address.port}`) });
      const error = await checkApiReachable(kc, 1000).catch((e: unknown) => e);
      expect((error as SetupError).message).toBe(
        `the API server https://127.0.0.1:${address.port} (context "kind-a") did not answer within 1 s`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

describe('API server refusals', () => {
  async function answering(code: number): Promise<{ url: string; close: () => void }> {
    const server = createHttpServer((_req, res) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', code }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
  }

  it('rejected credentials (401) say to refresh them, a token as docs/rbac.md shows', async () => {
    const api = await answering(401);
    try {
      const kc = loadKubeConfig({ kubeconfig: kubeconfig(api.url) });
      const error = (await checkApiReachable(kc, 5000).catch((e: unknown) => e)) as SetupError;
      expect(error).toBeInstanceOf(SetupError);
      expect(error.message).toBe(
        `the API server ${api.url} (context "kind-a") rejected the credentials (HTTP 401)`,
      );
      expect(error.fix).toMatch(/refresh the credentials.*docs\/rbac\.md/);
    } finally {
      api.close();
    }
  });

  it('a user refused (403) is pointed at the runner role', async () => {
    const api = await answering(403);
    try {
      const kc = loadKubeConfig({ kubeconfig: kubeconfig(api.url) });
      const error = (await checkApiReachable(kc, 5000).catch((e: unknown) => e)) as SetupError;
      expect(error.message).toMatch(
        /refused the user of the kubeconfig even GET \/version \(HTTP 403\)$/,
      );
      expect(error.fix).toMatch(/clusters\/rbac\/kube-netconform-runner\.yaml, see docs\/rbac\.md/);
    } finally {
      api.close();
    }
  });
});

describe('Docker errors', () => {
  it('no docker on PATH says to install the engine', async () => {
    const error = await checkDocker({ PATH: join(dir, 'empty-path') }).catch((e: unknown) => e);
    expect((error as SetupError).message).toBe(
      'docker is not installed (no docker command on PATH)',
    );
    expect((error as SetupError).fix).toMatch(
      /install the Docker engine .*clusters\/host\/prepare\.sh/,
    );
  });

  it('a daemon that is not running says how to start it', async () => {
    const error = await checkDocker({ DOCKER_HOST: `unix://${join(dir, 'no-daemon.sock')}` }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).message).toMatch(/^the Docker daemon is not running/);
    expect((error as SetupError).fix).toMatch(/clusters\/host\/prepare\.sh/);
  });
});
