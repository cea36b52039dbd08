import { describe, expect, it } from '@jest/globals';
import { answeredBy, classifyPing, pingErrors, PingOutcome } from './traffic.ts';

describe('classifyPing', () => {
  it.each([
    [0, PingOutcome.EchoReply],
    [1, PingOutcome.NoReply],
    [2, PingOutcome.Inconclusive],
    [null, PingOutcome.Inconclusive],
  ])('exit %p is %s', (exitCode, want) => {
    expect(classifyPing({ exitCode })).toBe(want);
  });
});

describe('pingErrors', () => {
  it('lists the ICMP errors once each (ping to a ClusterIP in nftables mode, captured)', () => {
    const stdout = `PING 10.96.99.102 (10.96.99.102) 56(84) bytes of data.
From 10.244.2.1 icmp_seq=1 Destination Port Unreachable
From 10.244.2.1 icmp_seq=2 Destination Port Unreachable

--- 10.96.99.102 ping statistics ---
2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1001ms
`;
    expect(pingErrors(stdout)).toEqual(['Destination Port Unreachable from 10.244.2.1']);
  });
  it('lists nothing when the pings were answered or silently dropped', () => {
    expect(pingErrors('64 bytes from 10.96.0.1: icmp_seq=1 ttl=64 time=0.05 ms\n')).toEqual([]);
  });
});

describe('answeredBy', () => {
  it('reads the pod name of a color answer, after HTTP headers', () => {
    expect(
      answeredBy('HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\nThis is backends-6f7-abcde\n'),
    ).toBe('backends-6f7-abcde');
  });
  it('is undefined for any other answer', () => {
    expect(answeredBy('HTTP/1.1 404 Not Found\r\nserver: other\r\n\r\n')).toBeUndefined();
  });
});
