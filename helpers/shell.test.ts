import { describe, expect, it } from '@jest/globals';
import { HostCommandError, runHost, runHostChecked } from './shell.ts';

describe('runHost', () => {
  it('returns stdout, stderr, exit code and duration without throwing on failure', async () => {
    const result = await runHost(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(result).toMatchObject({ where: 'host', stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('passes arguments as values, not through a shell', async () => {
    const result = await runHost(['printf', '%s|', 'a b', '$HOME', "it's"]);
    expect(result.stdout).toBe("a b|$HOME|it's|");
  });

  it('kills a command at its deadline and says so', async () => {
    const result = await runHost(['sleep', '30'], { timeoutMs: 300 });
    expect(result.exitCode).toBeNull();
    expect(result.attempts[0]?.transportError).toMatch(
      /killed by SIGTERM after the 300 ms deadline/,
    );
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('feeds standard input', async () => {
    expect((await runHost(['cat'], { input: 'hello' })).stdout).toBe('hello');
  });

  it('reports a program that does not exist as a failure, not a crash', async () => {
    const result = await runHost(['kube-netconform-no-such-program']);
    expect(result.exitCode === null || result.exitCode === 127).toBe(true);
  });
});

describe('runHostChecked', () => {
  it('throws with the command, exit code and the end of the output', async () => {
    await expect(runHostChecked(['sh', '-c', 'echo boom >&2; exit 2'])).rejects.toThrow(
      HostCommandError,
    );
    await expect(runHostChecked(['sh', '-c', 'echo boom >&2; exit 2'])).rejects.toThrow(
      /exit 2.*\n {2}boom/,
    );
  });
});
