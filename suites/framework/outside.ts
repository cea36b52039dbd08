/**
 * Hosts outside the cluster: containers on the kind nodes' Docker network, started with
 * testcontainers, playing an external client (NodePort, "not reachable from outside") or an
 * external server (ExternalName target, egress SNAT). They carry the run's labels and owner, so the
 * reaper removes them if a run dies, and their removal is registered on the suite's cleanup stack.
 *
 * Every one is created, used and removed through the run's one Docker engine (the run
 * description's endpoint): testcontainers is pointed at it, and is refused when it picks another
 * engine (it falls back to the default socket when the one it was given does not answer), so that
 * a container is never created through one engine and looked for through another.
 *
 * The Ryuk reaper container of testcontainers is not used (its image cannot be pulled on machines
 * without a registry); our own label-based reaper covers what a crashed run leaves.
 */
import {
  GenericContainer,
  getContainerRuntimeClient,
  type StartedTestContainer,
} from 'testcontainers';
import { docker, dockerChecked, type DockerEndpoint } from '../../helpers/docker.ts';
import { SetupError } from '../../helpers/errors.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import { runDockerLabels } from '../../helpers/run-id.ts';
import { timeout } from '../../helpers/timeouts.ts';
import { outsideHostUnavailable } from './outside-network.ts';
import type { SuiteContext } from './suite-context.ts';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

/** A running container outside the cluster. */
export interface OutsideHost {
  /** Its address on the nodes' network. */
  readonly ip: string;
  readonly name: string;
  /** Runs argv in the container; never throws for a non-zero exit. */
  exec(argv: readonly string[]): Promise<ProbeResult>;
  readonly container: StartedTestContainer;
}

/**
 * Points testcontainers at `endpoint` and checks that it took that engine.
 * @throws {SetupError} when the endpoint is unavailable or testcontainers chose another engine.
 */
async function useEndpoint(endpoint: DockerEndpoint): Promise<void> {
  if (endpoint.unavailable !== undefined)
    throw new SetupError(
      `no host outside the cluster can be started: ${endpoint.unavailable}`,
      "start a Docker engine on this machine, or set DOCKER_HOST to one that runs on the nodes' network",
    );
  process.env.DOCKER_HOST = endpoint.host;
  const client = await getContainerRuntimeClient();
  const modem = (
    client.container.dockerode as unknown as {
      modem: { socketPath?: string; host?: string; port?: string | number };
    }
  ).modem;
  const url = new URL(endpoint.host);
  const same =
    url.hostname === ''
      ? modem.socketPath === url.pathname
      : modem.host === url.hostname && String(modem.port ?? '') === url.port;
  if (!same)
    throw new SetupError(
      `testcontainers did not take the run's Docker engine ${endpoint.host} (${endpoint.source}); it chose ${modem.socketPath ?? `${modem.host ?? '?'}:${String(modem.port ?? '?')}`}`,
      `check that ${endpoint.host} answers (\`docker --host ${endpoint.host} version\`)`,
    );
}

/**
 * Starts a netshoot container on the nodes' network running `command` (default: wait forever),
 * registers its removal, and returns it once started.
 */
export async function startOutsideHost(
  ctx: SuiteContext,
  role: string,
  command?: readonly string[],
): Promise<OutsideHost> {
  const network = ctx.settings.nodesNetwork;
  const image = ctx.images.netshoot;
  await useEndpoint(ctx.docker);
  const container = await new GenericContainer(image)
    .withName(`${ctx.namespace}-${role}`)
    .withNetworkMode(network)
    .withLabels({ ...runDockerLabels(ctx.run), 'kube-netconform/role': role })
    .withCommand(
      command === undefined
        ? ['sh', '-c', "trap 'exit 0' TERM INT; sleep infinity & wait"]
        : [...command],
    )
    .withStartupTimeout(timeout('podReady'))
    .start()
    .catch(async (error: unknown) => {
      throw await missingImageOr(ctx.docker, image, error);
    });
  ctx.cleanup.defer(`container ${container.getName()}`, async () => {
    await dockerChecked(ctx.docker, ['rm', '-f', '-v', container.getId()]);
  });
  const name = container.getName().replace(/^\//, '');
  return {
    ip: container.getIpAddress(network),
    name,
    container,
    exec: async (argv) => {
      const started = performance.now();
      const r = await container.exec([...argv]);
      const durationMs = Math.round(performance.now() - started);
      return {
        where: `container ${name} (outside the cluster)`,
        command: argv,
        stdout: r.stdout,
        stderr: r.stderr,
        exitCode: r.exitCode,
        durationMs,
        attempts: [{ attempt: 1, exitCode: r.exitCode, durationMs }],
      };
    },
  };
}

/**
 * The error to report when an outside host did not start: a SetupError naming the fix when its
 * image is not in the Docker engine that runs it (testcontainers then tried a registry) or when
 * that engine stopped answering, else the error itself.
 */
async function missingImageOr(
  endpoint: DockerEndpoint,
  image: string,
  error: unknown,
): Promise<unknown> {
  const inspect = await docker(endpoint, ['image', 'inspect', image]);
  if (inspect.exitCode === 0) return error;
  const engine = `${endpoint.host} (${endpoint.source})`;
  if (!/no such image/i.test(inspect.stderr))
    return new SetupError(
      `the Docker engine ${engine} stopped answering while a host outside the cluster started: ${inspect.stderr.trim().split('\n')[0] ?? ''}`,
      `check that ${endpoint.host} runs (\`docker --host ${endpoint.host} version\`)`,
      { cause: error },
    );
  const cause = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new SetupError(
    `image ${image} is not in ${engine}, which runs the hosts outside the cluster, and could not be pulled (${cause ?? ''})`,
    'build it with `clusters/fixtures/build.sh` (`cluster up` does; in the IPVS lane `cluster up --profile ipvs` loads it into the guest), or name a reachable image with --image-overrides or --image-mirror',
  );
}

/**
 * Starts an outside host like {@link startOutsideHost} where one can be played here, and resolves
 * to undefined where none can (outside-network.ts says why; the checks that need one skip).
 */
export async function startOutsideHostIfPossible(
  ctx: SuiteContext,
  role: string,
  command?: readonly string[],
): Promise<OutsideHost | undefined> {
  if ((await outsideHostUnavailable()) !== undefined) return undefined;
  return startOutsideHost(ctx, role, command);
}

/**
 * The outside host of an area's fixtures, which start one only where one can be played: checks
 * that use it skip with the reason of needsOutsideHost (outside-network.ts) elsewhere, so this only guards that pairing.
 */
export function outsideOf(host: OutsideHost | undefined): OutsideHost {
  if (host === undefined) throw new Error('no host outside the cluster was started');
  return host;
}
