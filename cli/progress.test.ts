import { describe, expect, it } from '@jest/globals';
import { elapsedPrefix, firstLine, formatCheckLine, type CheckEvent } from './progress.ts';

describe('formatCheckLine', () => {
  it.each<[CheckEvent, number, string]>([
    [{ kind: 'passed', durationMs: 1234 }, 84_200, '[  84.2s] ✓  1.2s dns/x'],
    [{ kind: 'passed', durationMs: 61_000 }, 5, '[   0.0s] ✓ 61.0s dns/x'],
    [
      {
        kind: 'failed',
        durationMs: 6800,
        message: 'CheckFailure: expected 2 SRV targets, saw 1\n  table',
      },
      91_000,
      '[  91.0s] ✗  6.8s dns/x: expected 2 SRV targets, saw 1',
    ],
    [{ kind: 'failed', durationMs: 0, message: '' }, 1000, '[   1.0s] ✗  0.0s dns/x'],
    [
      { kind: 'skipped', reason: 'not selected (--suites/--skip)' },
      1000,
      '[   1.0s] -       dns/x (skipped: not selected (--suites/--skip))',
    ],
    [{ kind: 'started' }, 12_345, '[  12.3s] ▶       dns/x'],
  ])('%j at %i ms', (event, elapsed, line) => {
    expect(formatCheckLine('dns/x', event, elapsed)).toBe(line);
  });
});

describe('firstLine', () => {
  it.each([
    [
      '\u001b[31mError: set-up of dns failed: boom\u001b[39m\n    at x',
      'set-up of dns failed: boom',
    ],
    ['\n\n  thrown: "Exceeded timeout of 5000 ms"\n', '"Exceeded timeout of 5000 ms"'],
    ['CheckFailure: ' + 'y'.repeat(300), `${'y'.repeat(159)}…`],
  ])('%j → %j', (message, line) => {
    expect(firstLine(message)).toBe(line);
  });

  it('elapsedPrefix never goes negative', () => {
    expect(elapsedPrefix(-5)).toBe('[   0.0s]');
    expect(elapsedPrefix(1_234_567)).toBe('[1234.6s]');
  });
});
