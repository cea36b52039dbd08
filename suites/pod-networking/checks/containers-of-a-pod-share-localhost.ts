// Expected: two containers of one pod share a network namespace, so the netshoot container reaches
// the nginx container on 127.0.0.1:80 and gets nginx's answer.
import { classifyCurl, ConnectOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import type { PodNetworkingFixtures } from '../fixtures.ts';

export default defineCheck<PodNetworkingFixtures>({
  id: 'pod-networking/containers-of-a-pod-share-localhost',
  title: 'two containers of one pod talk over localhost',
  assess: async (ctx, f, evidence) => {
    const pod = f.twoContainers.metadata?.name ?? '';
    const result = evidence.probe(
      'netshoot → nginx over 127.0.0.1:80 in one pod',
      await ctx.exec(pod, 'netshoot', [
        'curl',
        '-sS',
        '--max-time',
        '5',
        '-D',
        '-',
        '-o',
        '/dev/null',
        'http://127.0.0.1:80/',
      ]),
    );
    const outcome = classifyCurl(result);
    if (outcome !== ConnectOutcome.Reached)
      throw new CheckFailure(`expected Reached on 127.0.0.1:80, observed ${outcome}`, evidence);
    if (!/^Server: nginx/im.test(result.stdout)) {
      throw new CheckFailure(
        'reached 127.0.0.1:80, but the answer did not come from nginx (no "Server: nginx" header)',
        evidence,
      );
    }
  },
});
