// The run's one Docker engine: chosen from DOCKER_HOST or the default socket, refused when
// DOCKER_HOST names an engine that does not answer, and the only engine the docker command line
// is pointed at (a real docker client; the engines named here do not exist).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { defaultDockerHost, docker, dockerEndpointOf, resolveDockerEndpoint } from './docker.ts';
import { SetupError } from './errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'knc-docker-'));

describe('the Docker endpoint of a run', () => {
  it('is DOCKER_HOST when set, else the default socket', () => {
    expect(dockerEndpointOf({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toEqual({
      host: 'tcp://127.0.0.1:2375',
      source: 'DOCKER_HOST',
    });
    expect(dockerEndpointOf({ DOCKER_HOST: ' ' })).toEqual({
      host: defaultDockerHost,
      source: 'the default socket',
    });
  });

  it('refuses a DOCKER_HOST that does not answer, even when the default socket would', async () => {
    const missing = `unix://${join(dir, 'missing.sock')}`;
    const error = await resolveDockerEndpoint({ DOCKER_HOST: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).message).toMatch(
      new RegExp(`^DOCKER_HOST=${missing} names a Docker engine that does not answer`),
    );
    expect((error as SetupError).fix).toMatch(/unset DOCKER_HOST to use the default socket/);
  });

  it('talks to the endpoint it is given, not to the DOCKER_HOST of the environment', async () => {
    const given = { host: `unix://${join(dir, 'given.sock')}`, source: 'DOCKER_HOST' };
    const r = await docker(given, ['version'], {
      env: { DOCKER_HOST: `unix://${join(dir, 'other.sock')}` },
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('given.sock');
    expect(r.stderr).not.toContain('other.sock');
  });
});
