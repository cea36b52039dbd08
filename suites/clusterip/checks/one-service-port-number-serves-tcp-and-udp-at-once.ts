// Expected: a Service may list the same port number twice, once with protocol TCP and once with
// UDP, and each protocol reaches the pods' listener of that protocol. The Service `echo` has port
// 9000/UDP and 9000/TCP; its pods answer "udp <pod>" or "tcp <pod>". The client sends 5 requests
// over each protocol to the ClusterIP: all must be answered, each with the protocol it was sent
// over (a proxy that programs only one of the two ports, or maps both to one, fails).
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { askEcho, describeAnswers, echoPort } from '../../framework/udp-echo.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';

const requests = 5;

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/one-service-port-number-serves-tcp-and-udp-at-once',
  title: 'one Service port number serves TCP and UDP at once',
  assess: async (ctx, f, evidence) => {
    evidence.note(
      `Service ${f.echo.name} ports`,
      (f.echo.service.spec?.ports ?? [])
        .map((p) => `${p.name ?? '?'} ${p.port}/${p.protocol ?? 'TCP'} → ${String(p.targetPort)}`)
        .join('\n'),
    );
    const target = { ip: f.echo.ip, port: echoPort };
    const client = f.client.metadata?.name ?? '';
    const mismatches: string[] = [];
    for (const protocol of ['tcp', 'udp'] as const) {
      const { probe, answers } = await askEcho(ctx, client, protocol, target, requests);
      evidence.probe(`client → ${f.echo.ip}:${echoPort}/${protocol.toUpperCase()}`, probe);
      const ok = answers.filter((a) => a.outcome === 'Answered' && a.protocol === protocol);
      if (ok.length !== requests)
        mismatches.push(
          `${protocol.toUpperCase()}: expected ${requests} answers "${protocol} <pod>", observed ${describeAnswers(answers)}`,
        );
    }
    if (mismatches.length > 0) {
      throw new CheckFailure(
        `${f.echo.ip}:${echoPort} over TCP and UDP: ${mismatches.join('; ')}`,
        evidence,
      );
    }
  },
});
