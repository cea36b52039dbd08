// Reading the outcome of a probe write: a refusal quotes the API server's message and must come
// from whom it is expected to (the admission policy), an unexpected outcome is one line.
import { describe, expect, it } from '@jest/globals';
import { refusalOf, unexpected } from './admission-probes.ts';

describe('probe outcomes', () => {
  it('a rejected call is read from the Status body', () => {
    const error = Object.assign(new Error('HTTP-Code: 403'), {
      code: 403,
      body: JSON.stringify({ kind: 'Status', message: 'pods "x" is forbidden: denied' }),
    });
    expect(refusalOf(error)).toBe('refused (HTTP 403): pods "x" is forbidden: denied');
    expect(refusalOf(new Error('socket hang up'))).toBe('refused (HTTP ?): socket hang up');
  });

  it('an outcome is unexpected when allowed instead of refused, or refused by someone else', () => {
    expect(
      unexpected([
        { what: 'a', expected: 'allowed', observed: 'allowed' },
        {
          what: 'b',
          expected: 'refused',
          refusedBy: 'policy-p',
          observed: 'refused (HTTP 403): policy-p said no',
        },
        { what: 'c', expected: 'refused', refusedBy: 'policy-p', observed: 'allowed' },
        {
          what: 'd',
          expected: 'refused',
          refusedBy: 'policy-p',
          observed: 'refused (HTTP 403): RBAC',
        },
      ]),
    ).toEqual([
      'c: expected refused by policy-p, was allowed',
      'd: expected refused by policy-p, was refused (HTTP 403): RBAC',
    ]);
  });
});
