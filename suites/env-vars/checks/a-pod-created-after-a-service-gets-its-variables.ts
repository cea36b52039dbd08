// Expected: a pod created after Services of its namespace exist gets, for each of them and for
// default/kubernetes, {SVC}_SERVICE_HOST and {SVC}_SERVICE_PORT (the first port),
// {SVC}_SERVICE_PORT_<NAME> for each named port, and the Docker-links variables {SVC}_PORT
// (first port) and {SVC}_PORT_<port>_<PROTO> with _PROTO, _PORT and _ADDR for each port, where
// {SVC} and <NAME> are the names upper-cased with dashes as underscores ("web-front" →
// WEB_FRONT, "metrics-port" → METRICS_PORT). The kubelet computes them from the Services it knows
// when it starts the container. Exactly these Service-shaped variables, with exactly these
// values, must be set.
import { defineCheck } from '../../framework/check.ts';
import { readEnv, type EnvVarsFixtures } from '../fixtures.ts';
import {
  compareVariables,
  expectedServiceVariables,
  mergeTables,
  serviceLikeVariables,
} from '../service-variables.ts';
import { expectVariables } from '../variables-check.ts';

export default defineCheck<EnvVarsFixtures>({
  id: 'env-vars/a-pod-created-after-a-service-gets-its-variables',
  title:
    'a pod created after Services of its namespace gets their _SERVICE_HOST/_SERVICE_PORT[_NAME] and Docker-links _PORT variables with the right values',
  assess: async (ctx, f, evidence) => {
    const expected = mergeTables([f.kubernetes, ...f.services].map(expectedServiceVariables));
    const observed = serviceLikeVariables(await readEnv(ctx, f.after, evidence));
    expectVariables(
      f.after,
      'created after the Services',
      compareVariables(expected, observed),
      evidence,
    );
  },
});
