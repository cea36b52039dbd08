/**
 * Requests to the API server, retried when the server says it could not serve them now: 429 (API
 * Priority and Fairness turned it away, with Retry-After), 503 (not ready, or overloaded) and 504
 * (it gave up on the request), and connections that broke or could not be set up in time. A slow
 * control plane answers 504 to a write that etcd took longer than the API server's fixed 34 s to
 * store; the IPVS lane's emulated node does that during a set-up burst. A refused connection is
 * retried only from a server that has answered before (it is restarting). Other statuses, an
 * unknown host, and a refusal from a server that never answered are passed on at once: a cluster
 * that is not there must fail fast with its own error.
 *
 * A write that got 504, or whose connection broke, may have been done. When its retry is a create
 * answered 409 AlreadyExists, the object the first attempt created is read back and returned as the
 * create's answer.
 *
 * The client library opens a new connection for every request, so a set-up's burst of requests
 * would open them all at once; at most {@link requestsInFlight} run at a time per process.
 */
import {
  createConfiguration,
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  RequestContext,
  ServerConfiguration,
  wrapHttpLibrary,
  type ApiConstructor,
  type ApiType,
  type Middleware,
  type PromiseHttpLibrary,
  type ResponseContext,
} from '@kubernetes/client-node';
import { systemClock, type Clock } from './clock.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import { messageWithCauses } from './errors.ts';
import { timeout } from './timeouts.ts';

/** The statuses that mean "not now" rather than "no". */
export const retriedStatuses: ReadonlySet<number> = new Set([429, 503, 504]);

/** The codes of connection failures worth a retry (a reset, a socket closed under a request, a slow connect). */
export const retriedConnectionErrors: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** A refused connection: retried only from a server that has answered before. */
const refused: ReadonlySet<string> = new Set(['ECONNREFUSED']);

/** The first code of `codes` in `error`'s chain of causes. */
function codeInChain(error: unknown, codes: ReadonlySet<string>): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** How many API requests one process has in flight at most. */
export const requestsInFlight = 6;

/** The first pause before a retry and its ceiling, when the server names none. */
const firstDelayMs = 1_000;
const longestDelayMs = 8_000;

/**
 * How long to wait before retry number `retry` (1-based): the server's Retry-After in seconds when
 * it gives one (capped at the ceiling), else 1 s doubling up to 8 s.
 */
export function retryDelayMs(retry: number, retryAfter: string | undefined): number {
  const seconds = Number(retryAfter);
  if (retryAfter !== undefined && retryAfter !== '' && Number.isFinite(seconds) && seconds >= 0) {
    return Math.min(longestDelayMs, Math.round(seconds * 1000));
  }
  return Math.min(longestDelayMs, firstDelayMs * 2 ** (retry - 1));
}

/** How {@link RetryingHttpLibrary} retries. */
export interface RetryOptions {
  /** No retry starts after this much time since the first attempt (default: the apiTransient deadline). */
  readonly budgetMs?: number;
  readonly clock?: Clock;
  /** Told about every retry (default: a line on stderr). */
  readonly log?: (line: string) => void;
}

/** The name in a create request's body, if it has one (generateName objects have none). */
function createdName(request: RequestContext): string | undefined {
  const body = request.getBody();
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as { metadata?: { name?: unknown } };
    return typeof parsed.metadata?.name === 'string' ? parsed.metadata.name : undefined;
  } catch {
    return undefined;
  }
}

/** An HTTP library that retries {@link retriedStatuses} and broken connections within a budget. */
export class RetryingHttpLibrary implements PromiseHttpLibrary {
  private readonly inner: PromiseHttpLibrary;
  private readonly budgetMs: number;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  /** Whether the server has answered any request of this client. */
  private answered = false;

  /** Wraps `inner`, the library that sends each attempt. */
  constructor(inner: PromiseHttpLibrary, options: RetryOptions = {}) {
    this.inner = inner;
    this.budgetMs = options.budgetMs ?? timeout('apiTransient');
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** Sends the request, and again after each retried failure until the budget is spent. */
  async send(request: RequestContext): Promise<ResponseContext> {
    const started = this.clock.now();
    const method = request.getHttpMethod();
    const path = new URL(request.getUrl()).pathname;
    let mayHaveBeenDone = false;
    for (let retry = 1; ; retry += 1) {
      let response: ResponseContext;
      try {
        response = await this.inner.send(request);
        this.answered = true;
      } catch (error) {
        // A refused connection is retried only from a server that has answered this client: it
        // is restarting. A server that never answered is not there, and says so at once.
        const code =
          codeInChain(error, retriedConnectionErrors) ??
          (this.answered ? codeInChain(error, refused) : undefined);
        const waitMs = retryDelayMs(retry, undefined);
        if (code === undefined || this.clock.now() - started + waitMs > this.budgetMs) throw error;
        if (method !== HttpMethod.GET) mayHaveBeenDone = true;
        this.log(
          `[api] ${method} ${path}: ${messageWithCauses(error)}; retry ${retry} in ${waitMs / 1000} s`,
        );
        await this.clock.sleep(waitMs);
        continue;
      }
      if (mayHaveBeenDone && method === HttpMethod.POST && response.httpStatusCode === 409) {
        const created = await this.readCreated(request);
        if (created !== undefined) {
          this.log(
            `[api] ${method} ${path}: 409 after an attempt that may have created it; read it back`,
          );
          return created;
        }
      }
      if (!retriedStatuses.has(response.httpStatusCode)) return response;
      const waitMs = retryDelayMs(retry, response.headers['retry-after']);
      if (this.clock.now() - started + waitMs > this.budgetMs) return response;
      const reason = (await response.body.text().catch(() => '')).slice(0, 200);
      if (response.httpStatusCode === 504) mayHaveBeenDone = true;
      this.log(
        `[api] ${method} ${path}: HTTP ${response.httpStatusCode} (${reason.trim()}); retry ${retry} in ${waitMs / 1000} s`,
      );
      await this.clock.sleep(waitMs);
    }
  }

  /** GET of the object a create named, with the create's credentials; undefined unless 200. */
  private async readCreated(create: RequestContext): Promise<ResponseContext | undefined> {
    const name = createdName(create);
    if (name === undefined) return undefined;
    const url = new URL(create.getUrl());
    url.pathname = `${url.pathname.replace(/\/$/, '')}/${encodeURIComponent(name)}`;
    url.search = '';
    const get = new RequestContext(url.toString(), HttpMethod.GET);
    for (const [key, value] of Object.entries(create.getHeaders())) {
      if (key.toLowerCase() !== 'content-type') get.setHeaderParam(key, value);
    }
    const dispatcher = create.getDispatcher();
    if (dispatcher !== undefined) get.setDispatcher(dispatcher);
    const response = await this.inner.send(get);
    return response.httpStatusCode === 200 ? response : undefined;
  }
}

/** The process's share of requests in flight. */
const inFlight = new ConcurrencyLimit(requestsInFlight);

/** Sends each request with fetch, as the client library does by default, a few at a time. */
const fetchOne = new IsomorphicFetchHttpLibrary();
const fetchLibrary: PromiseHttpLibrary = {
  send: (request) => inFlight.run(() => fetchOne.send(request).toPromise()),
};

/** Names this tool in the User-Agent of its requests (the API server's audit log shows it). */
const userAgent: Middleware = {
  pre: (context) => {
    context.setHeaderParam('User-Agent', 'kube-netconform');
    return Promise.resolve(context);
  },
  post: (context) => Promise.resolve(context),
};

/** A KubeConfig whose API clients retry through {@link RetryingHttpLibrary}. */
export class RetryingKubeConfig extends KubeConfig {
  /** Like KubeConfig.makeApiClient, with the retrying HTTP library. */
  override makeApiClient<T extends ApiType>(apiClientType: ApiConstructor<T>): T {
    const cluster = this.getCurrentCluster();
    if (cluster === null) throw new Error('the kubeconfig has no current cluster');
    return new apiClientType(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.server, {}),
        authMethods: { default: this },
        httpApi: wrapHttpLibrary(new RetryingHttpLibrary(fetchLibrary)),
        promiseMiddleware: [userAgent],
      }),
    );
  }
}
