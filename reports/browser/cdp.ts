/**
 * A small client of the Chrome DevTools Protocol over Node's built-in WebSocket: commands with
 * their replies (each bounded by the `browserCommand` deadline), events to listeners, and the
 * flattened sessions of page targets (`sessionId` on each message). Enough to drive one headless
 * page; no puppeteer or playwright.
 */
import { withDeadline } from '../../helpers/deadline.ts';
import { messageOf } from '../../helpers/errors.ts';
import { timeout } from '../../helpers/timeouts.ts';

/** An event the browser sent: its method ("Page.loadEventFired"), params and session. */
export interface CdpEvent {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly sessionId: string | undefined;
}

/** Thrown when the browser answers a command with an error, or the connection is gone. */
export class CdpError extends Error {
  constructor(method: string, message: string) {
    super(`DevTools ${method}: ${message}`);
    this.name = 'CdpError';
  }
}

/** One message from the browser: a reply (with `id`) or an event (with `method`). */
interface Incoming {
  readonly id?: number;
  readonly result?: unknown;
  readonly error?: { readonly code?: number; readonly message?: string };
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly sessionId?: string;
}

/** What the connection needs of a WebSocket (Node's global WebSocket, or a fake in tests). */
export interface CdpSocket {
  /** 'message' events are MessageEvents carrying one protocol message as text. */
  addEventListener(type: 'message' | 'close' | 'error', listener: (event: Event) => void): void;
  send(data: string): void;
  close(): void;
}

interface Pending {
  readonly method: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** A DevTools connection to a browser (its `ws://…/devtools/browser/…` address). */
export class CdpConnection {
  private readonly socket: CdpSocket;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  private nextId = 1;
  private closedWith: string | undefined;

  private constructor(socket: CdpSocket) {
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      this.receive((event as MessageEvent).data);
    });
    socket.addEventListener('close', () => {
      this.fail('the connection closed');
    });
    socket.addEventListener('error', () => {
      this.fail('the connection failed');
    });
  }

  /** Opens a connection to `url`; rejects when it is not open within the `browserCommand` deadline. */
  static async connect(url: string): Promise<CdpConnection> {
    const socket = new WebSocket(url);
    await withDeadline(`DevTools connection to ${url}`, timeout('browserCommand'), () => {
      return new Promise<void>((resolve, reject) => {
        socket.addEventListener('open', () => {
          resolve();
        });
        socket.addEventListener('error', () => {
          reject(new Error(`cannot connect to DevTools at ${url}`));
        });
      });
    }).catch((error: unknown) => {
      socket.close();
      throw error;
    });
    return CdpConnection.over(socket);
  }

  /** A connection over an open socket. */
  static over(socket: CdpSocket): CdpConnection {
    return new CdpConnection(socket);
  }

  /**
   * Sends a command (to the browser, or to a page's session) and resolves with its result;
   * rejects with {@link CdpError} when the browser reports an error, and when no reply comes
   * within the `browserCommand` deadline.
   */
  async send<T>(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<T> {
    if (this.closedWith !== undefined) throw new CdpError(method, this.closedWith);
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
    });
    this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    try {
      return (await withDeadline(
        `DevTools ${method}`,
        timeout('browserCommand'),
        () => reply,
      )) as T;
    } finally {
      this.pending.delete(id);
    }
  }

  /** Calls `listener` with every event until the returned function is called. */
  onEvent(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Closes the connection; commands still waiting are rejected. */
  close(): void {
    this.fail('the connection was closed by us');
    this.socket.close();
  }

  private receive(data: unknown): void {
    let message: Incoming;
    try {
      message = JSON.parse(String(data)) as Incoming;
    } catch (error) {
      this.fail(`unreadable message from the browser: ${messageOf(error)}`);
      return;
    }
    if (message.id !== undefined) {
      const pending = this.pending.get(message.id);
      if (pending === undefined) return;
      if (message.error !== undefined) {
        pending.reject(new CdpError(pending.method, message.error.message ?? 'unknown error'));
      } else {
        pending.resolve(message.result);
      }
      return;
    }
    if (message.method !== undefined) {
      const event = {
        method: message.method,
        params: message.params ?? {},
        sessionId: message.sessionId,
      };
      for (const listener of this.listeners) listener(event);
    }
  }

  private fail(why: string): void {
    this.closedWith ??= why;
    for (const pending of this.pending.values()) {
      pending.reject(new CdpError(pending.method, why));
    }
    this.pending.clear();
  }
}
