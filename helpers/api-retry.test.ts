import { describe, expect, it } from '@jest/globals';
import {
  HttpMethod,
  RequestContext,
  ResponseContext,
  type PromiseHttpLibrary,
} from '@kubernetes/client-node';
import { retryDelayMs, RetryingHttpLibrary } from './api-retry.ts';
import { FakeClock } from './fake-clock.ts';

/** A response with a JSON body and optional headers. */
function answer(status: number, body: unknown = {}, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  return new ResponseContext(status, headers, {
    text: () => Promise.resolve(text),
    binary: () => Promise.resolve(Buffer.from(text)),
    stream: () => null,
  });
}

/** An inner library that answers from a script and records what it was sent. */
function scripted(answers: ResponseContext[]): PromiseHttpLibrary & { sent: RequestContext[] } {
  const sent: RequestContext[] = [];
  return {
    sent,
    send: (request) => {
      sent.push(request);
      const next = answers.shift();
      if (next === undefined) throw new Error('no scripted answer left');
      return Promise.resolve(next);
    },
  };
}

const podsUrl = 'https://127.0.0.1:6443/api/v1/namespaces/knc-1/pods?fieldManager=knc';

/** A create of the pod `web-0`. */
function createPod(): RequestContext {
  const request = new RequestContext(podsUrl, HttpMethod.POST);
  request.setHeaderParam('Content-Type', 'application/json');
  request.setHeaderParam('Authorization', 'Bearer token');
  request.setBody(JSON.stringify({ metadata: { name: 'web-0' } }));
  return request;
}

const timedOut = { kind: 'Status', reason: 'Timeout', code: 504 };

describe('retryDelayMs', () => {
  it('doubles from 1 s up to 8 s without Retry-After', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, undefined))).toEqual([
      1000, 2000, 4000, 8000, 8000,
    ]);
  });

  it("follows the server's Retry-After, capped at 8 s", () => {
    expect(retryDelayMs(1, '3')).toBe(3000);
    expect(retryDelayMs(1, '120')).toBe(8000);
    expect(retryDelayMs(2, 'soon')).toBe(2000);
  });
});

describe('RetryingHttpLibrary', () => {
  it('passes a success or a refusal through at once', async () => {
    for (const status of [200, 403, 404, 409, 500]) {
      const inner = scripted([answer(status)]);
      const clock = new FakeClock();
      const r = await new RetryingHttpLibrary(inner, { clock, log: () => undefined }).send(
        createPod(),
      );
      expect(r.httpStatusCode).toBe(status);
      expect(inner.sent).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
    }
  });

  it('retries 429, 503 and 504 until an answer that is not one of them', async () => {
    const inner = scripted([answer(429, {}, { 'retry-after': '2' }), answer(503), answer(200)]);
    const clock = new FakeClock();
    const lines: string[] = [];
    const r = await new RetryingHttpLibrary(inner, { clock, log: (l) => lines.push(l) }).send(
      new RequestContext(podsUrl, HttpMethod.GET),
    );
    expect(r.httpStatusCode).toBe(200);
    expect(clock.sleeps).toEqual([2000, 2000]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/GET \/api\/v1\/namespaces\/knc-1\/pods: HTTP 429 .*retry 1 in 2 s/);
  });

  it('gives up with the last answer when the next retry would pass its budget', async () => {
    const inner = scripted([answer(504, timedOut), answer(504, timedOut), answer(504, timedOut)]);
    const clock = new FakeClock();
    const r = await new RetryingHttpLibrary(inner, {
      clock,
      budgetMs: 3_500,
      log: () => undefined,
    }).send(new RequestContext(podsUrl, HttpMethod.GET));
    expect(r.httpStatusCode).toBe(504);
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(inner.sent).toHaveLength(3);
  });

  it('returns the object a timed-out create made when its retry is told AlreadyExists', async () => {
    const pod = { kind: 'Pod', metadata: { name: 'web-0', uid: 'u1' } };
    const inner = scripted([answer(504, timedOut), answer(409), answer(200, pod)]);
    const r = await new RetryingHttpLibrary(inner, {
      clock: new FakeClock(),
      log: () => undefined,
    }).send(createPod());
    expect(r.httpStatusCode).toBe(200);
    expect(JSON.parse(await r.body.text())).toEqual(pod);
    const read = inner.sent[2];
    expect(read?.getHttpMethod()).toBe(HttpMethod.GET);
    expect(read?.getUrl()).toBe('https://127.0.0.1:6443/api/v1/namespaces/knc-1/pods/web-0');
    expect(read?.getHeaders().Authorization).toBe('Bearer token');
  });

  it('passes a 409 through when no attempt before it may have created the object', async () => {
    const inner = scripted([answer(503), answer(409)]);
    const r = await new RetryingHttpLibrary(inner, {
      clock: new FakeClock(),
      log: () => undefined,
    }).send(createPod());
    expect(r.httpStatusCode).toBe(409);
    expect(inner.sent).toHaveLength(2);
  });
});

describe('RetryingHttpLibrary and broken connections', () => {
  /** fetch()'s error for a socket that closed under the request. */
  const closed = (): Error =>
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });

  it('retries a connection that broke, and reads back what a create may have made', async () => {
    const pod = { kind: 'Pod', metadata: { name: 'web-0' } };
    const answers: (ResponseContext | Error)[] = [closed(), answer(409), answer(200, pod)];
    const sent: RequestContext[] = [];
    const inner: PromiseHttpLibrary = {
      send: (request) => {
        sent.push(request);
        const next = answers.shift();
        return next instanceof Error || next === undefined
          ? Promise.reject(next ?? new Error('no scripted answer left'))
          : Promise.resolve(next);
      },
    };
    const lines: string[] = [];
    const r = await new RetryingHttpLibrary(inner, {
      clock: new FakeClock(),
      log: (l) => lines.push(l),
    }).send(createPod());
    expect(r.httpStatusCode).toBe(200);
    expect(sent.map((s) => s.getHttpMethod())).toEqual(['POST', 'POST', 'GET']);
    expect(lines[0]).toMatch(/fetch failed \(cause: UND_ERR_SOCKET: other side closed\); retry 1/);
  });

  it('passes a refused connection on at once: no cluster is there', async () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), {
        code: 'ECONNREFUSED',
      }),
    });
    const clock = new FakeClock();
    const inner: PromiseHttpLibrary = { send: () => Promise.reject(refused) };
    await expect(
      new RetryingHttpLibrary(inner, { clock, log: () => undefined }).send(
        new RequestContext(podsUrl, HttpMethod.GET),
      ),
    ).rejects.toBe(refused);
    expect(clock.sleeps).toEqual([]);
  });

  it('gives up on a broken connection when the budget is spent', async () => {
    const clock = new FakeClock();
    const inner: PromiseHttpLibrary = { send: () => Promise.reject(closed()) };
    await expect(
      new RetryingHttpLibrary(inner, { clock, budgetMs: 2_000, log: () => undefined }).send(
        new RequestContext(podsUrl, HttpMethod.GET),
      ),
    ).rejects.toThrow('fetch failed');
    expect(clock.sleeps).toEqual([1000]);
  });

  it('retries a refused connection from a server that answered before: it is restarting', async () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), {
        code: 'ECONNREFUSED',
      }),
    });
    const answers: (ResponseContext | Error)[] = [answer(200), refused, answer(200)];
    const inner: PromiseHttpLibrary = {
      send: () => {
        const next = answers.shift() ?? new Error('no scripted answer left');
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
    };
    const clock = new FakeClock();
    const library = new RetryingHttpLibrary(inner, { clock, log: () => undefined });
    await library.send(new RequestContext(podsUrl, HttpMethod.GET));
    const r = await library.send(new RequestContext(podsUrl, HttpMethod.GET));
    expect(r.httpStatusCode).toBe(200);
    expect(clock.sleeps).toEqual([1000]);
  });
});
