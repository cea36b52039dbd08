import { describe, expect, it } from '@jest/globals';
import { httpReadinessProbe } from './readiness-probe.ts';

describe('httpReadinessProbe', () => {
  it("is kubelet's default timeout with a 2 s period at scale 1", () => {
    expect(httpReadinessProbe('/', 'http', 1)).toEqual({
      httpGet: { path: '/', port: 'http' },
      periodSeconds: 2,
      timeoutSeconds: 1,
    });
  });

  it('gives a slow cluster a timeout of the scale in seconds, rounded up, never longer than the period', () => {
    expect(httpReadinessProbe('/index.html', 80, 4)).toMatchObject({
      periodSeconds: 4,
      timeoutSeconds: 4,
    });
    expect(httpReadinessProbe('/', 81, 1.5)).toMatchObject({ periodSeconds: 2, timeoutSeconds: 2 });
  });
});
