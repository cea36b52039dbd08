// Expected: a pod whose container started before the Services of its namespace existed has none
// of their variables: the kubelet sets a container's environment once, at start, and never
// updates it. It still has the variables of default/kubernetes (which existed before), which also
// shows that its environment was read.
import { defineCheck } from '../../framework/check.ts';
import { readEnv, type EnvVarsFixtures } from '../fixtures.ts';
import {
  compareVariables,
  expectedServiceVariables,
  serviceLikeVariables,
} from '../service-variables.ts';
import { expectVariables } from '../variables-check.ts';

export default defineCheck<EnvVarsFixtures>({
  id: 'env-vars/a-pod-created-before-a-service-does-not-get-its-variables',
  title: 'a pod created before a Service does not get its variables',
  assess: async (ctx, f, evidence) => {
    const expected = expectedServiceVariables(f.kubernetes);
    const observed = serviceLikeVariables(await readEnv(ctx, f.before, evidence));
    expectVariables(
      f.before,
      `created before Services ${f.services.map((s) => s.metadata?.name ?? '?').join(', ')}`,
      compareVariables(expected, observed),
      evidence,
    );
  },
});
