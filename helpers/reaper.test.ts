import { describe, expect, it } from '@jest/globals';
import { maxRunAgeMs, processAlive, staleness, type ReaperContext } from './reaper.ts';

const now = new Date('2026-11-23T12:00:00Z');
const ctx: ReaperContext = { host: 'ci-1', now, isAlive: (pid) => pid === 100 };
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

describe('staleness', () => {
  it.each([
    [
      'a live run on this host is left alone',
      { host: 'ci-1', pid: '100', startedAt: hoursAgo(30) },
      false,
      'process 100 on this host is still running',
    ],
    [
      'a dead run on this host is stale at once',
      { host: 'ci-1', pid: '200', startedAt: hoursAgo(0) },
      true,
      'process 200 on this host is gone',
    ],
    [
      'a recent run from another host is left alone',
      { host: 'laptop', pid: '200', startedAt: hoursAgo(1) },
      false,
      'run from laptop started 60 min ago',
    ],
    [
      'an old run from another host is stale',
      { host: 'laptop', pid: '200', startedAt: hoursAgo(7) },
      true,
      'started 7.0 h ago on laptop',
    ],
    ['no owner record is left alone', {}, false, 'no owner record; left alone (use clean --all)'],
  ])('%s', (_name, owner, stale, reason) => {
    expect(staleness(owner, ctx)).toEqual({ stale, reason });
  });

  it('clean --all reaps even live runs', () => {
    expect(staleness({ host: 'ci-1', pid: '100' }, { ...ctx, all: true }).stale).toBe(true);
  });

  it('the age limit is the documented six hours', () => {
    expect(maxRunAgeMs).toBe(21_600_000);
  });
});

describe('processAlive', () => {
  it('sees this process and not a pid that cannot exist', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 1)).toBe(false);
  });
});
