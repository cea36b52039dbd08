import { describe, expect, it } from '@jest/globals';
import { parseEnvFile, pinnedVersions } from './versions.ts';

describe('parseEnvFile', () => {
  it('reads KEY=value lines, skips comments and blanks, unquotes values', () => {
    expect(parseEnvFile('# c\nA=1\n\nB="x y"\n  C=v1.2\nlower=no\nD=\n')).toEqual({
      A: '1',
      B: 'x y',
      C: 'v1.2',
      D: '',
    });
  });

  it('the pinned versions name Kubernetes and kind', () => {
    const v = pinnedVersions();
    expect(v.KUBERNETES_VERSION).toMatch(/^v1\.\d+\.\d+$/);
    expect(v.KIND_VERSION).toMatch(/^v0\.\d+\.\d+$/);
  });
});
