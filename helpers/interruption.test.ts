import { describe, expect, it } from '@jest/globals';
import { summarizeInterruption, type TimedRequest } from './interruption.ts';

/** A stream of requests every 100 ms, each taking 10 ms; `pattern` is one char per request. */
function stream(pattern: string): TimedRequest[] {
  return [...pattern].map((c, i) => ({
    seq: i + 1,
    startMs: 1000 + i * 100,
    endMs: 1010 + i * 100,
    ok: c === '+',
  }));
}

describe('summarizeInterruption', () => {
  it.each([
    {
      name: 'no failures: the gap is the pace',
      pattern: '++++++',
      tail: 3,
      want: { total: 6, failed: 0, longestGapMs: 100, tailOk: true, firstFailedSeq: undefined },
    },
    {
      name: 'a burst of failures in the middle, recovered',
      pattern: '+++---+++',
      tail: 3,
      want: {
        failed: 3,
        longestGapMs: 400,
        longestGapAfterSeq: 3,
        longestGapBeforeSeq: 7,
        firstFailedSeq: 4,
        lastFailedSeq: 6,
        tailOk: true,
      },
    },
    {
      name: 'failures at the end: not recovered, gap runs to the end',
      pattern: '++++---',
      tail: 3,
      want: {
        failed: 3,
        longestGapMs: 300,
        longestGapAfterSeq: 4,
        longestGapBeforeSeq: undefined,
        tailOk: false,
      },
    },
    {
      name: 'failures at the start count from the stream start',
      pattern: '---+++',
      tail: 2,
      want: {
        longestGapMs: 310,
        longestGapAfterSeq: undefined,
        longestGapBeforeSeq: 4,
        tailOk: true,
      },
    },
    {
      name: 'one failure inside the tail',
      pattern: '+++++-+',
      tail: 3,
      want: { failed: 1, tailOk: false },
    },
    {
      name: 'a stream shorter than the tail has not shown recovery',
      pattern: '++',
      tail: 3,
      want: { tailOk: false },
    },
    {
      name: 'nothing succeeded',
      pattern: '----',
      tail: 2,
      want: { failed: 4, longestGapMs: 310, longestGapAfterSeq: undefined, tailOk: false },
    },
  ])('$name', ({ pattern, tail, want }) => {
    expect(summarizeInterruption(stream(pattern), tail)).toMatchObject(want);
  });

  it('sorts the stream by sequence number first', () => {
    const s = stream('++-++');
    expect(summarizeInterruption([...s].reverse(), 2)).toEqual(summarizeInterruption(s, 2));
  });
});
