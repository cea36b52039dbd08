import { describe, expect, it } from '@jest/globals';
import { probeSeconds, timeout, timeoutScale } from './timeouts.ts';

describe('timeoutScale', () => {
  it('is 1 unless KNC_TIMEOUT_SCALE says otherwise', () => {
    expect(timeoutScale({})).toBe(1);
    expect(timeoutScale({ KNC_TIMEOUT_SCALE: '4' })).toBe(4);
  });

  it('rejects a value that is not a positive number', () => {
    expect(() => timeoutScale({ KNC_TIMEOUT_SCALE: '0' })).toThrow(/positive number/);
    expect(() => timeoutScale({ KNC_TIMEOUT_SCALE: 'slow' })).toThrow(/positive number/);
  });
});

describe('scaled limits', () => {
  it('multiplies a named deadline by the scale', () => {
    expect(timeout('proxyRulesConverge', 4)).toBe(4 * timeout('proxyRulesConverge', 1));
  });

  it("scales a probe's own limit to whole seconds, at least 1", () => {
    expect(probeSeconds(2, 1)).toBe(2);
    expect(probeSeconds(2, 4)).toBe(8);
    expect(probeSeconds(1, 1.5)).toBe(2);
    expect(probeSeconds(1, 0.1)).toBe(1);
  });
});
