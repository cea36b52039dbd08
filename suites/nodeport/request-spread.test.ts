import { describe, expect, it } from '@jest/globals';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import { Evidence } from '../framework/evidence.ts';
import { reached, spreadUntil } from './request-spread.ts';

/** What the request loop prints for three answered requests to target `web`. */
const loopOutput = [
  'web\t0\tweb-a\t10.0.0.9:4101\t-',
  'web\t0\tweb-b\t10.0.0.9:4102\t-',
  'web\t0\tweb-a\t10.0.0.9:4103\t-',
].join('\n');

function probe(stdout: string): ProbeResult {
  return {
    where: 'outside',
    command: ['sh', '-c', '…'],
    stdout,
    stderr: '',
    exitCode: 0,
    durationMs: 5,
    attempts: [{ attempt: 1, exitCode: 0, durationMs: 5 }],
  };
}

describe('spreadUntil', () => {
  it('returns the tallies of the round the judge accepted, for a verdict on them', async () => {
    const tallies = await spreadUntil({
      what: 'outside → web',
      exec: () => Promise.resolve(probe(loopOutput)),
      targets: [{ label: 'web', url: 'http://10.96.0.10/' }],
      options: { requests: 3 },
      judge: () => ({ table: '', mismatches: [] }),
      evidence: new Evidence(),
    });
    expect(tallies.map((t) => [t.label, reached(t), [...t.backends]])).toEqual([
      [
        'web',
        3,
        [
          ['web-a', 2],
          ['web-b', 1],
        ],
      ],
    ]);
  });
});
