/**
 * The probe behind the pod-to-pod checks: the client curls the server's pod IP; the server (color)
 * answers with its pod name and the client address it saw. Pod-to-pod traffic must arrive unNATed,
 * so that address must be the client's pod IP.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { classifyCurl, ConnectOutcome } from '../../helpers/outcomes.ts';
import { CheckFailure, type Evidence } from '../framework/evidence.ts';
import type { SuiteContext } from '../framework/suite-context.ts';

/** Fails unless `client` reaches `server` by pod IP and the server sees the client's pod IP. */
export async function expectDirectReach(
  ctx: SuiteContext,
  client: V1Pod,
  server: V1Pod,
  evidence: Evidence,
): Promise<void> {
  const serverIP = server.status?.podIP ?? '';
  const clientIP = client.status?.podIP ?? '';
  const serverName = server.metadata?.name ?? '';
  const route = `${client.metadata?.name ?? '?'} (${clientIP} on ${client.spec?.nodeName ?? '?'}) → ${serverName} (${serverIP} on ${server.spec?.nodeName ?? '?'})`;
  const url = `http://${serverIP.includes(':') ? `[${serverIP}]` : serverIP}:80/`;
  const result = evidence.probe(
    route,
    await ctx.exec(client.metadata?.name ?? '', 'netshoot', [
      'curl',
      '-sS',
      '--max-time',
      '5',
      url,
    ]),
  );
  const outcome = classifyCurl(result);
  if (outcome !== ConnectOutcome.Reached) {
    throw new CheckFailure(`${route}: expected Reached, observed ${outcome}`, evidence);
  }
  const answeredBy = /^This is (\S+)/m.exec(result.stdout)?.[1];
  if (answeredBy !== serverName) {
    throw new CheckFailure(
      `${route}: expected an answer from ${serverName}, got one from ${answeredBy ?? 'an unknown server'}`,
      evidence,
    );
  }
  const seen = /^client: (.+):\d+$/m.exec(result.stdout)?.[1]?.replace(/^\[|\]$/g, '');
  if (seen !== clientIP) {
    throw new CheckFailure(
      `${route}: the server saw the client as ${seen ?? 'nothing'}, expected its pod IP ${clientIP} (traffic was NATed)`,
      evidence,
    );
  }
}
