// Expected: a pod gets variables only for Services of its own namespace (and default/kubernetes):
// Service "other-ns-svc" of a second namespace, created before the pod, contributes no
// OTHER_NS_SVC_* variable. The pod does have the variables of its own namespace's "web-front",
// which shows that Services created at that time were injected.
import { defineCheck } from '../../framework/check.ts';
import { readEnv, type EnvVarsFixtures } from '../fixtures.ts';
import {
  absent,
  compareVariables,
  expectedServiceVariables,
  serviceLikeVariables,
  variablePrefix,
} from '../service-variables.ts';
import { expectVariables } from '../variables-check.ts';

export default defineCheck<EnvVarsFixtures>({
  id: 'env-vars/services-of-other-namespaces-are-not-injected',
  title: 'a pod gets no variables for Services of other namespaces',
  assess: async (ctx, f, evidence) => {
    const other = expectedServiceVariables(f.otherService);
    evidence.note(
      'variables other-ns-svc would give',
      [...other].map(([k, v]) => `${k}=${v}`).join('\n'),
    );
    const own = f.services.find((s) => s.metadata?.name === 'web-front');
    if (own === undefined) throw new Error('fixture Service web-front missing');
    const ownHost = `${variablePrefix('web-front')}_SERVICE_HOST`;
    const expected = new Map<string, string>([...other.keys()].map((k) => [k, absent]));
    expected.set(ownHost, own.spec?.clusterIP ?? '');
    const observed = serviceLikeVariables(await readEnv(ctx, f.after, evidence));
    const relevant = new Map([...observed].filter(([k]) => expected.has(k)));
    expectVariables(
      f.after,
      `Service other-ns-svc lives in namespace ${f.otherNamespace}`,
      compareVariables(expected, relevant),
      evidence,
    );
  },
});
