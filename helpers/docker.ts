/**
 * Checks that a Docker engine is usable, for kind clusters and for the containers the suites
 * start outside the cluster, with errors that name the fix.
 */
import { SetupError } from './errors.ts';
import type { ProbeResult } from './probe-result.ts';
import { runHost, type HostOptions } from './shell.ts';

/** Facts about the running Docker engine. */
export interface DockerInfo {
  readonly serverVersion: string;
}

/**
 * Runs `docker version` and classifies a failure: the client missing, the daemon not running,
 * or no permission on its socket. `env` overrides the environment (tests point PATH or
 * DOCKER_HOST elsewhere).
 * @throws {SetupError} when Docker cannot be used.
 */
export async function checkDocker(
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<DockerInfo> {
  const result = await runHost(['docker', 'version', '--format', '{{.Server.Version}}'], {
    env,
    timeoutMs: 20_000,
  });
  if (result.exitCode === 0) return { serverVersion: result.stdout.trim() };
  const text = `${result.stderr}\n${result.stdout}`;
  if (
    result.exitCode === 127 ||
    (/ENOENT|command not found|not found/i.test(text) && !/daemon/i.test(text))
  ) {
    throw new SetupError(
      'docker is not installed (no docker command on PATH)',
      'install the Docker engine (on Debian `clusters/host/prepare.sh` installs and starts it; `npm run cluster:up` runs that script)',
    );
  }
  if (/permission denied/i.test(text)) {
    throw new SetupError(
      'no permission to use the Docker daemon socket',
      'run as root or add your user to the docker group (usermod -aG docker $USER, then log in again)',
    );
  }
  if (
    /Cannot connect to the Docker daemon|Is the docker daemon running|connect: no such file|connection refused/i.test(
      text,
    )
  ) {
    throw new SetupError(
      `the Docker daemon is not running (${text.trim().split('\n')[0] ?? ''})`,
      'start it: `clusters/host/prepare.sh` starts it with the settings kind needs (or `systemctl start docker`)',
    );
  }
  throw new SetupError(
    `docker does not work: ${text.trim().split('\n').slice(-1)[0] ?? `exit ${result.exitCode ?? 'none'}`}`,
    'check `docker version` by hand',
  );
}

/**
 * The Docker engine a run talks to, chosen once (DOCKER_HOST when set, else the default socket),
 * recorded in the run description, and used for every container the run creates, lists and
 * removes: a run never creates through one engine and removes through another.
 */
export interface DockerEndpoint {
  /** The engine's address as `docker --host` takes it: unix:///var/run/docker.sock, tcp://h:p. */
  readonly host: string;
  /** Where the address came from: "DOCKER_HOST" or "the default socket". */
  readonly source: string;
  /** Why the engine cannot be used, when it did not answer (no engine on this machine). */
  readonly unavailable?: string;
}

/** The default engine address of the docker command line on Linux. */
export const defaultDockerHost = 'unix:///var/run/docker.sock';

/** The endpoint `env` names, not yet checked: DOCKER_HOST when set, else the default socket. */
export function dockerEndpointOf(env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  const fromEnv = env.DOCKER_HOST?.trim();
  return fromEnv !== undefined && fromEnv !== ''
    ? { host: fromEnv, source: 'DOCKER_HOST' }
    : { host: defaultDockerHost, source: 'the default socket' };
}

/**
 * Runs the docker command line against `endpoint` and nothing else: `--host` is passed and
 * DOCKER_HOST/DOCKER_CONTEXT are taken out of its environment. Never throws for a non-zero exit.
 */
export function docker(
  endpoint: DockerEndpoint,
  argv: readonly string[],
  options: HostOptions = {},
): Promise<ProbeResult> {
  return runHost(['docker', '--host', endpoint.host, ...argv], {
    ...options,
    env: { ...options.env, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined },
  });
}

/** Like {@link docker}, but throws a SetupError naming the command when it fails. */
export async function dockerChecked(
  endpoint: DockerEndpoint,
  argv: readonly string[],
  options: HostOptions = {},
): Promise<ProbeResult> {
  const r = await docker(endpoint, argv, options);
  if (r.exitCode !== 0)
    throw new SetupError(
      `docker --host ${endpoint.host} ${argv.join(' ')} failed (exit ${String(r.exitCode)}): ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`,
      `check that the engine at ${endpoint.host} (${endpoint.source}) runs`,
    );
  return r;
}

/**
 * Checks the endpoint a run will use. An engine named by DOCKER_HOST that does not answer is a
 * set-up error (the user asked for that engine); a default socket with no engine behind it gives
 * an endpoint marked unavailable, so that a runner without Docker can still run what needs none.
 * @throws {SetupError} when DOCKER_HOST names an engine that does not answer.
 */
export async function resolveDockerEndpoint(
  env: NodeJS.ProcessEnv = process.env,
): Promise<DockerEndpoint> {
  const endpoint = dockerEndpointOf(env);
  const r = await docker(endpoint, ['version', '--format', '{{.Server.Version}}'], {
    timeoutMs: 20_000,
  });
  if (r.exitCode === 0) return endpoint;
  const why =
    `${r.stderr}\n${r.stdout}`.trim().split('\n').slice(-1)[0] ?? `exit ${String(r.exitCode)}`;
  if (endpoint.source === 'DOCKER_HOST')
    throw new SetupError(
      `DOCKER_HOST=${endpoint.host} names a Docker engine that does not answer (${why})`,
      'start that engine, point DOCKER_HOST at one that runs, or unset DOCKER_HOST to use the default socket',
    );
  return { ...endpoint, unavailable: `no Docker engine answers at ${endpoint.host} (${why})` };
}
