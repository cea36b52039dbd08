import { describe, expect, it } from '@jest/globals';
import { execInPod, exitCodeFromStatus, type ExecTransport, type RawExec } from './pod-exec.ts';

const target = { namespace: 'ns', pod: 'client', container: 'netshoot' };

function scripted(...replies: RawExec[]): { transport: ExecTransport; calls: () => number } {
  let n = 0;
  return {
    transport: () => {
      const reply = replies[Math.min(n, replies.length - 1)];
      n += 1;
      if (reply === undefined) throw new Error('no scripted reply');
      return Promise.resolve(reply);
    },
    calls: () => n,
  };
}

describe('exitCodeFromStatus', () => {
  it('reads Success as 0 and the ExitCode cause of a NonZeroExitCode failure', () => {
    expect(exitCodeFromStatus({ status: 'Success' })).toBe(0);
    expect(
      exitCodeFromStatus({
        status: 'Failure',
        reason: 'NonZeroExitCode',
        details: { causes: [{ reason: 'ExitCode', message: '28' }] },
      }),
    ).toBe(28);
  });
  it('gives null for a failure without an exit code (container not found, …)', () => {
    expect(exitCodeFromStatus({ status: 'Failure', message: 'container not found' })).toBeNull();
  });
});

describe('execInPod', () => {
  it('does not retry a command that ran and failed', async () => {
    const s = scripted({ stdout: '', stderr: 'curl: (7) refused', exitCode: 7 });
    const result = await execInPod(s.transport, target, ['curl', 'x']);
    expect(s.calls()).toBe(1);
    expect(result.exitCode).toBe(7);
    expect(result.attempts).toHaveLength(1);
    expect(result.where).toBe('pod ns/client[netshoot]');
  });

  it('retries transport failures, logs them and keeps every attempt', async () => {
    const lines: string[] = [];
    const s = scripted(
      { stdout: '', stderr: '', exitCode: null, transportError: 'socket hang up' },
      { stdout: 'ok\n', stderr: '', exitCode: 0 },
    );
    const result = await execInPod(s.transport, target, ['true'], { log: (l) => lines.push(l) });
    expect(s.calls()).toBe(2);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('ok\n');
    expect(result.attempts.map((a) => a.transportError)).toEqual(['socket hang up', undefined]);
    expect(lines).toEqual([
      'pod ns/client[netshoot]: attempt 1 inconclusive (socket hang up); retrying',
    ]);
  });

  it('gives up after the bounded number of attempts with a null exit code', async () => {
    const s = scripted({ stdout: '', stderr: '', exitCode: null, transportError: 'stream lost' });
    const result = await execInPod(s.transport, target, ['true'], { maxAttempts: 3 });
    expect(s.calls()).toBe(3);
    expect(result.exitCode).toBeNull();
    expect(result.attempts).toHaveLength(3);
  });
});
