// Expected: a pod with enableServiceLinks: false gets no variable for the Services of its
// namespace (neither {SVC}_SERVICE_HOST/_PORT nor the Docker-links {SVC}_PORT… ones), while the
// variables of default/kubernetes stay, all of them: KUBERNETES_SERVICE_HOST, _SERVICE_PORT,
// _SERVICE_PORT_HTTPS and the Docker-links KUBERNETES_PORT, KUBERNETES_PORT_443_TCP[_PROTO|_PORT|
// _ADDR]. This is what the kubelet of Kubernetes v1.34.4 did on our kind clusters; it matches the
// kubelet's service environment code (pkg/kubelet/kubelet_pods.go, getServiceEnvVarMap: the
// `kubernetes` Service of the default namespace is always included, the Services of the pod's
// namespace only when enableServiceLinks is true) and the API reference of
// PodSpec.enableServiceLinks ("whether information about services should be injected into pod's
// environment variables, matching the syntax of Docker links").
import { defineCheck } from '../../framework/check.ts';
import { readEnv, type EnvVarsFixtures } from '../fixtures.ts';
import {
  compareVariables,
  expectedServiceVariables,
  serviceLikeVariables,
} from '../service-variables.ts';
import { expectVariables } from '../variables-check.ts';

export default defineCheck<EnvVarsFixtures>({
  id: 'env-vars/with-service-links-disabled-only-the-kubernetes-service-variables-are-set',
  title:
    'with enableServiceLinks: false a pod gets only the kubernetes Service variables (no variable of its namespace Services)',
  assess: async (ctx, f, evidence) => {
    const expected = expectedServiceVariables(f.kubernetes);
    const observed = serviceLikeVariables(await readEnv(ctx, f.noLinks, evidence));
    expectVariables(
      f.noLinks,
      'asked for enableServiceLinks: false',
      compareVariables(expected, observed),
      evidence,
    );
  },
});
