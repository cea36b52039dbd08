/**
 * Checks that a Docker engine is usable, for kind clusters and for the containers the suites
 * start outside the cluster, with errors that name the fix.
 */
import { SetupError } from './errors.ts';
import { runHost } from './shell.ts';

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
