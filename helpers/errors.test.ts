import { describe, expect, it } from '@jest/globals';
import { messageWithCauses } from './errors.ts';

describe('messageWithCauses', () => {
  it('is the message alone when there is no cause', () => {
    expect(messageWithCauses(new Error('no route'))).toBe('no route');
    expect(messageWithCauses('plain')).toBe('plain');
  });

  it("appends each cause's message, with its code when the message lacks it", () => {
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const error = new TypeError('fetch failed', { cause: socket });
    expect(messageWithCauses(error)).toBe(
      'fetch failed (cause: UND_ERR_SOCKET: other side closed)',
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), {
      code: 'ECONNREFUSED',
    });
    expect(
      messageWithCauses(
        new Error('set-up failed', { cause: new Error('fetch failed', { cause: refused }) }),
      ),
    ).toBe('set-up failed (cause: fetch failed (cause: connect ECONNREFUSED 127.0.0.1:6443))');
  });
});
