/**
 * One page of a headless browser, through the DevTools protocol: navigate, evaluate JavaScript in
 * the page (to wait for and read the DOM, and to click as a person would), and take a screenshot.
 * Every request the page makes is recorded, so that a caller can tell whether it tried to leave
 * the machine.
 */
import { writeFileSync } from 'node:fs';
import { poll } from '../../helpers/poll.ts';
import { CdpError, type CdpConnection } from './cdp.ts';

/** What Runtime.evaluate answers. */
interface EvaluateReply {
  readonly result: {
    readonly type: string;
    readonly value?: unknown;
    readonly description?: string;
  };
  readonly exceptionDetails?: {
    readonly text?: string;
    readonly exception?: { readonly description?: string };
  };
}

/** True for an address that stays on this machine (files, inline data, the loopback). */
export function isLocalUrl(url: string): boolean {
  if (/^(?:file|data|blob|about|chrome|devtools|chrome-error):/i.test(url)) return true;
  return /^(?:https?|wss?):\/\/(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::\d+)?(?:\/|$)/i.test(
    url,
  );
}

/** A page target of the browser, attached through a flattened DevTools session. */
export class BrowserPage {
  private readonly connection: CdpConnection;
  private readonly sessionId: string;
  private readonly requests: string[] = [];
  private readonly errors: string[] = [];

  private constructor(connection: CdpConnection, sessionId: string) {
    this.connection = connection;
    this.sessionId = sessionId;
    connection.onEvent((event) => {
      if (event.sessionId !== sessionId) return;
      if (event.method === 'Network.requestWillBeSent') {
        const request = event.params.request as { url?: unknown } | undefined;
        if (typeof request?.url === 'string') this.requests.push(request.url);
      } else if (event.method === 'Runtime.exceptionThrown') {
        const details = event.params.exceptionDetails as
          { text?: string; exception?: { description?: string } } | undefined;
        this.errors.push(details?.exception?.description ?? details?.text ?? 'exception');
      }
    });
  }

  /** Opens a new page of `size` CSS pixels, with its network and runtime events recorded. */
  static async open(
    connection: CdpConnection,
    size: { readonly width: number; readonly height: number },
  ): Promise<BrowserPage> {
    const { targetId } = await connection.send<{ targetId: string }>('Target.createTarget', {
      url: 'about:blank',
    });
    const { sessionId } = await connection.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId,
      flatten: true,
    });
    const page = new BrowserPage(connection, sessionId);
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.send('Network.enable');
    await page.resize(size);
    return page;
  }

  /** Makes the page's window `size` CSS pixels (the screenshot's size). */
  async resize(size: { readonly width: number; readonly height: number }): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', {
      width: size.width,
      height: size.height,
      deviceScaleFactor: 1,
      mobile: false,
    });
  }

  /** Every URL the page requested so far, in order. */
  get requestedUrls(): readonly string[] {
    return this.requests;
  }

  /** Uncaught exceptions of the page's scripts so far. */
  get scriptErrors(): readonly string[] {
    return this.errors;
  }

  /** Loads `url`; rejects when the browser cannot (a missing file, a refused address). */
  async navigate(url: string): Promise<void> {
    const reply = await this.send<{ errorText?: string }>('Page.navigate', { url });
    if (reply.errorText !== undefined && reply.errorText !== '') {
      throw new CdpError('Page.navigate', `${url}: ${reply.errorText}`);
    }
  }

  /**
   * Evaluates `expression` in the page (awaiting a promise it returns) and resolves with its value
   * as JSON; rejects with the page's exception when it throws.
   */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.send<EvaluateReply>('Runtime.evaluate', {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (reply.exceptionDetails !== undefined) {
      const why =
        reply.exceptionDetails.exception?.description ??
        reply.exceptionDetails.text ??
        'an exception';
      throw new CdpError('Runtime.evaluate', why);
    }
    return reply.result.value as T;
  }

  /**
   * Evaluates `expression` until it yields something other than null or undefined, within the
   * `reportRender` deadline; `what` names what is awaited in the timeout message.
   */
  async waitFor<T>(what: string, expression: string): Promise<T> {
    return poll({
      what,
      deadline: 'reportRender',
      intervalMs: 250,
      attempt: async () => {
        const value = await this.evaluate<T | null | undefined>(expression);
        return value === null || value === undefined
          ? { done: false, state: undefined, summary: 'not on the page yet' }
          : { done: true, state: value };
      },
    }) as Promise<T>;
  }

  /** Saves what the page shows (the viewport) as a PNG file. */
  async screenshot(path: string): Promise<void> {
    const { data } = await this.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    writeFileSync(path, Buffer.from(data, 'base64'));
  }

  private send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return this.connection.send<T>(method, params, this.sessionId);
  }
}
