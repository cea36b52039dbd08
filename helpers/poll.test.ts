import { describe, expect, it } from '@jest/globals';
import { FakeClock } from './fake-clock.ts';
import { poll, PollTimeoutError } from './poll.ts';

describe('poll', () => {
  it('returns the state of the first observation that is done', async () => {
    const clock = new FakeClock();
    let n = 0;
    const state = await poll({
      what: 'a counter reaching 3',
      deadline: 'podReady',
      budgetMs: 10_000,
      intervalMs: 1000,
      clock,
      attempt: () => {
        n += 1;
        return Promise.resolve({ done: n === 3, state: n });
      },
    });
    expect(state).toBe(3);
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it('on timeout names what it waited for, the deadline, the time and the last state', async () => {
    const clock = new FakeClock();
    const promise = poll({
      what: '3 nginx pods Ready',
      deadline: 'podReady',
      budgetMs: 5000,
      intervalMs: 2000,
      clock,
      attempt: () => Promise.resolve({ done: false, state: 2, summary: '2 of 3 Ready' }),
    });
    await expect(promise).rejects.toThrow(PollTimeoutError);
    await expect(promise).rejects.toThrow(
      /timed out after 5\.0 s \(deadline "podReady"\) waiting for 3 nginx pods Ready; 4 attempt\(s\); last state: 2 of 3 Ready/,
    );
  });

  it('makes a last attempt at the deadline instead of sleeping past it', async () => {
    const clock = new FakeClock();
    await expect(
      poll({
        what: 'x',
        deadline: 'podReady',
        budgetMs: 2500,
        intervalMs: 1000,
        clock,
        attempt: () => Promise.resolve({ done: false, state: null }),
      }),
    ).rejects.toThrow(/timed out after 2\.5 s/);
    expect(clock.sleeps).toEqual([1000, 1000, 500]);
  });

  it('treats a thrown error as a not-done observation and reports it as the last state', async () => {
    const clock = new FakeClock();
    let n = 0;
    await expect(
      poll({
        what: 'the API',
        deadline: 'apiReachable',
        budgetMs: 1000,
        intervalMs: 400,
        clock,
        attempt: () => {
          n += 1;
          return Promise.reject(new Error(`connect ECONNREFUSED #${n}`));
        },
      }),
    ).rejects.toThrow(/last state: error: connect ECONNREFUSED #4/);
  });

  it('counts slow attempts against the budget', async () => {
    const clock = new FakeClock();
    await expect(
      poll({
        what: 'slow thing',
        deadline: 'podReady',
        budgetMs: 3000,
        intervalMs: 100,
        clock,
        attempt: () => {
          clock.advance(2000);
          return Promise.resolve({ done: false, state: 'slow' });
        },
      }),
    ).rejects.toThrow(/2 attempt\(s\)/);
  });

  it('uses the named deadline scaled by KNC_TIMEOUT_SCALE when no budget is given', async () => {
    const clock = new FakeClock();
    const before = process.env.KNC_TIMEOUT_SCALE;
    process.env.KNC_TIMEOUT_SCALE = '0.001';
    try {
      await expect(
        poll({
          what: 'x',
          deadline: 'apiReachable',
          intervalMs: 4,
          clock,
          attempt: () => Promise.resolve({ done: false, state: 0 }),
        }),
      ).rejects.toThrow(/after 0\.0 s .*apiReachable.*4 attempt/);
    } finally {
      if (before === undefined) delete process.env.KNC_TIMEOUT_SCALE;
      else process.env.KNC_TIMEOUT_SCALE = before;
    }
  });
});
