/**
 * A backend that answers on one port number over UDP and TCP with its protocol and pod name
 * ("udp <pod>", "tcp <pod>"), and the client loop that asks it. The server is the netshoot
 * image's socat: one child per datagram (UDP-RECVFROM,fork) or per connection (TCP-LISTEN,fork).
 */
import type { V1Container } from '@kubernetes/client-node';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import { probeSeconds } from '../../helpers/timeouts.ts';
import type { SuiteContext } from './suite-context.ts';

/** The port number the echo server listens on, over UDP and TCP. */
export const echoPort = 9000;

/** A netshoot container answering "<protocol> <pod name>" on `echoPort`, over UDP and TCP. */
export function udpTcpEchoContainer(ctx: SuiteContext): V1Container {
  return {
    name: 'echo',
    image: ctx.images.netshoot,
    imagePullPolicy: 'IfNotPresent',
    command: [
      'sh',
      '-c',
      `socat UDP-RECVFROM:${echoPort},fork SYSTEM:'read -r l; echo udp $HOSTNAME' &
       exec socat TCP-LISTEN:${echoPort},fork,reuseaddr SYSTEM:'read -r l; echo tcp $HOSTNAME'`,
    ],
    ports: [
      { containerPort: echoPort, protocol: 'UDP', name: 'echo-udp' },
      { containerPort: echoPort, protocol: 'TCP', name: 'echo-tcp' },
    ],
    readinessProbe: { tcpSocket: { port: echoPort }, periodSeconds: 1 },
  };
}

/** Unanswered requests after which {@link askEcho} stops sending: the answers are short then. */
const giveUpAfter = 3;

/** What one request of {@link askEcho} saw: the answering pod, or no answer in time. */
export type EchoAnswer =
  | { readonly outcome: 'Answered'; readonly protocol: string; readonly pod: string }
  | { readonly outcome: 'NoAnswer' };

/**
 * Sends `count` requests over `protocol` to `ip:port` from the netshoot container of `pod`, in one
 * exec: each from a new socket (a new source port), waiting for the reply at most probeSeconds(2);
 * fewer answers than `count` when giveUpAfter of them went unanswered.
 */
export async function askEcho(
  ctx: SuiteContext,
  pod: string,
  protocol: 'udp' | 'tcp',
  target: { readonly ip: string; readonly port: number },
  count: number,
): Promise<{ readonly probe: ProbeResult; readonly answers: readonly EchoAnswer[] }> {
  const wait = probeSeconds(2);
  // bash's /dev/udp and /dev/tcp open the socket; head reads the reply datagram in one recv (bash's
  // read takes one byte per recv, which drops the rest of a datagram) and ends at its newline;
  // timeout bounds the wait for a reply that never comes; after giveUpAfter unanswered requests
  // the loop stops (a dropped path would otherwise cost count × wait seconds).
  const one = `exec 3<>/dev/$0/$1/$2 && echo x >&3 && head -n1 <&3`;
  const script = `for i in $(seq ${count}); do r=$(timeout ${wait} bash -c '${one}' ${protocol} ${target.ip} ${target.port} 2>/dev/null); echo "answer:\${r:-none}"; [ -n "$r" ] || lost=$((lost+1)); [ "\${lost:-0}" -lt ${giveUpAfter} ] || break; done`;
  const probe = await ctx.exec(pod, 'netshoot', ['sh', '-c', script]);
  const answers = probe.stdout
    .split('\n')
    .filter((l) => l.startsWith('answer:'))
    .map((l): EchoAnswer => {
      const [proto, name] = l.slice('answer:'.length).trim().split(/\s+/);
      return proto !== undefined && name !== undefined
        ? { outcome: 'Answered', protocol: proto, pod: name }
        : { outcome: 'NoAnswer' };
    });
  return { probe, answers };
}

/** "web-1=12, web-2=13, NoAnswer=2": the answers counted by pod. */
export function describeAnswers(answers: readonly EchoAnswer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const key = a.outcome === 'Answered' ? `${a.protocol} ${a.pod}` : 'NoAnswer';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return (
    [...counts]
      .sort()
      .map(([k, n]) => `${k}=${n}`)
      .join(', ') || 'no output'
  );
}
