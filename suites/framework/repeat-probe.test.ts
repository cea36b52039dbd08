import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { PollTimeoutError } from '../../helpers/poll.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import { Evidence } from './evidence.ts';
import { repeatProbe, type ProbeRound } from './repeat-probe.ts';

/** A probe whose stdout names the round that ran it. */
function probe(round: number, exitCode: number | null = 0): ProbeResult {
  return {
    where: 'pod ns/client[netshoot]',
    command: ['curl', 'http://web/'],
    stdout: `round ${round}`,
    stderr: '',
    exitCode,
    durationMs: 10 * round,
    attempts: [{ attempt: 1, exitCode, durationMs: 10 * round }],
  };
}

/** Rounds that observe `observed[i]` in round i+1 and are done from round `doneAt` on. */
function script(observed: readonly string[], doneAt = Infinity): () => Promise<ProbeRound<number>> {
  let n = 0;
  return () => {
    n += 1;
    return Promise.resolve({
      probe: probe(n),
      done: n >= doneAt,
      state: n,
      observed: observed[Math.min(n, observed.length) - 1] ?? '',
    });
  };
}

/** The titles of the evidence items, in order. */
function titles(evidence: Evidence): string[] {
  return evidence.items.map((i) => i.title);
}

const common = { title: 'client → web', what: 'web answering', deadline: 'podReady' } as const;

describe('repeatProbe', () => {
  it('returns the first round when it is done, recorded in full', async () => {
    const clock = new FakeClock();
    const evidence = new Evidence();
    const result = await repeatProbe({
      ...common,
      evidence,
      clock,
      budgetMs: 10_000,
      round: script(['Reached'], 1),
    });
    expect(result).toMatchObject({ timedOut: false, rounds: 1, elapsedMs: 0 });
    expect(result.last?.state).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(titles(evidence)).toEqual(['client → web (round 1)']);
    expect(evidence.items[0]?.body).toContain('round 1');
  });

  it('records a round in full when its observation changes, else a note naming that round', async () => {
    const clock = new FakeClock();
    const evidence = new Evidence();
    const result = await repeatProbe({
      ...common,
      evidence,
      clock,
      budgetMs: 10_000,
      intervalMs: 1000,
      round: script(['Refused', 'Refused', 'TimedOut', 'TimedOut', 'Reached'], 5),
    });
    expect(result).toMatchObject({ timedOut: false, rounds: 5, elapsedMs: 4000 });
    expect(result.last?.state).toBe(5);
    expect(clock.sleeps).toEqual([1000, 1000, 1000, 1000]);
    expect(evidence.items.map((i) => [i.title, i.body.split('\n')[0]])).toEqual([
      ['client → web (round 1)', 'where: pod ns/client[netshoot]'],
      [
        'client → web (round 2)',
        'exit 0 in 20 ms: Refused, as in round 1 (recorded in full there)',
      ],
      ['client → web (round 3)', 'where: pod ns/client[netshoot]'],
      [
        'client → web (round 4)',
        'exit 0 in 40 ms: TimedOut, as in round 3 (recorded in full there)',
      ],
      ['client → web (round 5)', 'where: pod ns/client[netshoot]'],
    ]);
  });

  it('can name the observation in the title of a round recorded in full', async () => {
    const evidence = new Evidence();
    await repeatProbe({
      ...common,
      evidence,
      clock: new FakeClock(),
      budgetMs: 10_000,
      observedInTitle: true,
      round: script(['NXDOMAIN', 'NXDOMAIN', 'CNAME x.'], 3),
    });
    expect(titles(evidence)).toEqual([
      'client → web (round 1): NXDOMAIN',
      'client → web (round 2)',
      'client → web (round 3): CNAME x.',
    ]);
  });

  it('on timeout returns timedOut with the last round and the poll timeout, without throwing', async () => {
    const clock = new FakeClock();
    const evidence = new Evidence();
    const result = await repeatProbe({
      ...common,
      evidence,
      clock,
      budgetMs: 2500,
      intervalMs: 1000,
      round: script(['Refused']),
    });
    expect(clock.sleeps).toEqual([1000, 1000, 500]);
    expect(result).toMatchObject({ timedOut: true, rounds: 4, elapsedMs: 2500 });
    expect(result.last).toMatchObject({ state: 4, done: false, observed: 'Refused' });
    if (!result.timedOut) throw new Error('expected a timeout');
    expect(result.timeout).toBeInstanceOf(PollTimeoutError);
    expect(result.timeout.message).toMatch(
      /timed out after 2\.5 s \(deadline "podReady"\) waiting for web answering; 4 attempt\(s\); last state: Refused/,
    );
    expect(titles(evidence)).toEqual([
      'client → web (round 1)',
      'client → web (round 2)',
      'client → web (round 3)',
      'client → web (round 4)',
    ]);
    expect(evidence.items.filter((i) => i.body.startsWith('where:'))).toHaveLength(1);
  });

  it('with first-and-last records the first and last rounds in full and a note of every round', async () => {
    const evidence = new Evidence();
    const result = await repeatProbe({
      ...common,
      evidence,
      clock: new FakeClock(),
      budgetMs: 10_000,
      record: 'first-and-last',
      round: script(['a=1 b=0', 'a=2 b=0', 'a=1 b=1'], 3),
    });
    expect(result).toMatchObject({ timedOut: false, rounds: 3 });
    expect(titles(evidence)).toEqual([
      'client → web (attempt 1 of 3)',
      'client → web (attempt 3 of 3)',
      'client → web: every attempt',
    ]);
    expect(evidence.items[0]?.body).toContain('round 1');
    expect(evidence.items[1]?.body).toContain('round 3');
    expect(evidence.items[2]?.body).toBe(
      [
        'attempt 1: exit 0 in 10 ms: a=1 b=0',
        'attempt 2: exit 0 in 20 ms: a=2 b=0',
        'attempt 3: exit 0 in 30 ms: a=1 b=1',
      ].join('\n'),
    );
  });

  it('with first-and-last records a single round once and no list', async () => {
    const evidence = new Evidence();
    await repeatProbe({
      ...common,
      evidence,
      clock: new FakeClock(),
      budgetMs: 10_000,
      record: 'first-and-last',
      round: script(['a=1 b=1'], 1),
    });
    expect(titles(evidence)).toEqual(['client → web (attempt 1 of 1)']);
  });

  it('with last records only the last round, titled by the title alone', async () => {
    const evidence = new Evidence();
    await repeatProbe({
      ...common,
      evidence,
      clock: new FakeClock(),
      budgetMs: 10_000,
      record: 'last',
      round: script(['Refused', 'Refused', 'Reached'], 3),
    });
    expect(titles(evidence)).toEqual(['client → web']);
    expect(evidence.items[0]?.body).toContain('round 3');
  });

  it('counts a round that throws as not done, as poll does, and records its error', async () => {
    const clock = new FakeClock();
    const evidence = new Evidence();
    let n = 0;
    const result = await repeatProbe({
      ...common,
      evidence,
      clock,
      budgetMs: 10_000,
      round: () => {
        n += 1;
        if (n === 2) return Promise.reject(new Error('exec failed'));
        return Promise.resolve({ probe: probe(n), done: n === 3, state: n, observed: 'Refused' });
      },
    });
    expect(result).toMatchObject({ timedOut: false, rounds: 3 });
    expect(result.last?.state).toBe(3);
    // After a round without an observation, the next one is recorded in full again.
    expect(evidence.items.map((i) => [i.title, i.body.split('\n')[0]])).toEqual([
      ['client → web (round 1)', 'where: pod ns/client[netshoot]'],
      ['client → web (round 2)', 'error: exec failed'],
      ['client → web (round 3)', 'where: pod ns/client[netshoot]'],
    ]);
  });

  it('times out with no last round when every round throws, listing the errors', async () => {
    const evidence = new Evidence();
    let n = 0;
    const result = await repeatProbe({
      ...common,
      evidence,
      clock: new FakeClock(),
      budgetMs: 1000,
      intervalMs: 500,
      record: 'first-and-last',
      round: () => {
        n += 1;
        return Promise.reject(new Error(`exec failed #${n}`));
      },
    });
    expect(result).toMatchObject({ timedOut: true, rounds: 3, last: undefined });
    if (!result.timedOut) throw new Error('expected a timeout');
    expect(result.timeout.message).toMatch(/last state: error: exec failed #3$/);
    expect(evidence.items).toEqual([
      {
        title: 'client → web: every attempt',
        body: [
          'attempt 1: error: exec failed #1',
          'attempt 2: error: exec failed #2',
          'attempt 3: error: exec failed #3',
        ].join('\n'),
      },
    ]);
  });

  it('rethrows an error that is not a timeout, with the rounds so far recorded', async () => {
    const evidence = new Evidence();
    const clock = new FakeClock();
    clock.sleep = () => Promise.reject(new Error('interrupted'));
    await expect(
      repeatProbe({
        ...common,
        evidence,
        clock,
        budgetMs: 10_000,
        record: 'first-and-last',
        round: script(['Refused']),
      }),
    ).rejects.toThrow('interrupted');
    expect(titles(evidence)).toEqual(['client → web (attempt 1 of 1)']);
  });
});
