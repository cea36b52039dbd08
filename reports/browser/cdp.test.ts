import { describe, expect, test } from '@jest/globals';
import { CdpConnection, CdpError, type CdpEvent, type CdpSocket } from './cdp.ts';

/** A socket whose far end is the test: it sees what was sent and answers by hand. */
class FakeSocket extends EventTarget implements CdpSocket {
  readonly sent: Record<string, unknown>[] = [];
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.dispatchEvent(new Event('close'));
  }
  receive(message: object): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
}

describe('CdpConnection', () => {
  test('matches replies to commands by id, and sends the session of a page', async () => {
    const socket = new FakeSocket();
    const cdp = CdpConnection.over(socket);
    const first = cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const second = cdp.send<{ value: number }>('Runtime.evaluate', { expression: '1' }, 'S1');
    expect(socket.sent).toEqual([
      { id: 1, method: 'Target.createTarget', params: { url: 'about:blank' } },
      { id: 2, method: 'Runtime.evaluate', params: { expression: '1' }, sessionId: 'S1' },
    ]);
    socket.receive({ id: 2, result: { value: 1 } });
    socket.receive({ id: 1, result: { targetId: 'T' } });
    await expect(first).resolves.toEqual({ targetId: 'T' });
    await expect(second).resolves.toEqual({ value: 1 });
  });

  test("rejects a command with the browser's error, naming the method", async () => {
    const socket = new FakeSocket();
    const cdp = CdpConnection.over(socket);
    const reply = cdp.send('Page.navigate', { url: 'file:///nowhere' });
    socket.receive({ id: 1, error: { code: -32000, message: 'Cannot navigate to invalid URL' } });
    const error = await reply.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CdpError);
    expect((error as Error).message).toBe('DevTools Page.navigate: Cannot navigate to invalid URL');
  });

  test('passes events to listeners until they unsubscribe', () => {
    const socket = new FakeSocket();
    const cdp = CdpConnection.over(socket);
    const events: CdpEvent[] = [];
    const off = cdp.onEvent((e) => events.push(e));
    socket.receive({ method: 'Network.requestWillBeSent', params: { a: 1 }, sessionId: 'S1' });
    off();
    socket.receive({ method: 'Page.loadEventFired', params: {} });
    expect(events).toEqual([
      { method: 'Network.requestWillBeSent', params: { a: 1 }, sessionId: 'S1' },
    ]);
  });

  test('a closed connection rejects the commands waiting and every later one', async () => {
    const socket = new FakeSocket();
    const cdp = CdpConnection.over(socket);
    const waiting = cdp.send('Page.captureScreenshot');
    socket.close();
    await expect(waiting).rejects.toThrow('DevTools Page.captureScreenshot: the connection closed');
    await expect(cdp.send('Runtime.evaluate')).rejects.toThrow(
      'DevTools Runtime.evaluate: the connection closed',
    );
  });
});
