import { describe, expect, it } from '@jest/globals';
import { noTargetReason } from './fixtures.ts';

describe('noTargetReason', () => {
  const noNetwork = 'no Docker network "kind" of the nodes';

  it.each([
    ['an --external-target is given', 'web.example.org:8080', noNetwork],
    ['a host outside the cluster can be started', undefined, undefined],
    ['both', 'web.example.org', undefined],
  ])('lets the target check run when %s', (_, externalTarget, outsideUnavailable) => {
    expect(noTargetReason(externalTarget, outsideUnavailable)).toBeUndefined();
  });

  it.each([
    ['unset', undefined],
    ['empty', '  '],
  ])('skips it with both reasons when --external-target is %s and no outside host', (_, given) => {
    const reason = noTargetReason(given, noNetwork);
    expect(reason).toContain(noNetwork);
    expect(reason).toContain('--external-target NAME[:PORT]');
  });
});
