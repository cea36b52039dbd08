// Expected: a ClusterIP Service port with protocol UDP forwards datagrams to its ready endpoints,
// and the replies come back to the client. The Service `echo` has 3 pods answering "udp <pod>";
// the client pod sends one datagram per new socket (a new source port, so kube-proxy picks an
// endpoint afresh each time) and every one must be answered, by each of the 3 pods at least once.
// coverageRequests (helpers/spread.ts) sends the fewest datagrams with which a correct proxy
// leaves a pod unseen with probability at most 1e-6; a UDP path that drops datagrams fails always.
import { coverageRequests } from '../../../helpers/spread.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { askEcho, describeAnswers, echoPort } from '../../framework/udp-echo.ts';
import { podNames, podsOf } from '../backends.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/a-udp-cluster-ip-answers-from-every-ready-endpoint',
  title: 'a UDP ClusterIP Service answers from every ready endpoint',
  assess: async (ctx, f, evidence) => {
    const backends = podNames(await podsOf(ctx, f.echo.name));
    const requests = coverageRequests(backends.length);
    const target = { ip: f.echo.ip, port: echoPort };
    const { probe, answers } = await askEcho(
      ctx,
      f.client.metadata?.name ?? '',
      'udp',
      target,
      requests,
    );
    evidence.probe(`client → ${f.echo.ip}:${echoPort}/UDP: ${requests} datagrams`, probe);
    const unseen = backends.filter(
      (b) => !answers.some((a) => a.outcome === 'Answered' && a.pod === b),
    );
    const wrong = answers.filter((a) => a.outcome !== 'Answered' || a.protocol !== 'udp');
    if (answers.length !== requests || wrong.length > 0 || unseen.length > 0) {
      throw new CheckFailure(
        `${f.echo.ip}:${echoPort}/UDP: expected ${requests} of ${requests} datagrams answered "udp <pod>" by each of ${backends.join(', ')}, observed ${describeAnswers(answers)}` +
          (unseen.length > 0 ? `; no answer from ${unseen.join(', ')}` : ''),
        evidence,
      );
    }
  },
});
