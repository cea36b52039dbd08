// Environment-variable discovery: which Services' variables the kubelet gives a container, with
// which values, depending on when the pod was created, the Service's namespace and
// enableServiceLinks.
import { registerArea } from '../framework/area.ts';
import afterGetsVariables from './checks/a-pod-created-after-a-service-gets-its-variables.ts';
import beforeDoesNot from './checks/a-pod-created-before-a-service-does-not-get-its-variables.ts';
import otherNamespaces from './checks/services-of-other-namespaces-are-not-injected.ts';
import noLinks from './checks/with-service-links-disabled-only-the-kubernetes-service-variables-are-set.ts';
import { setUpEnvVars } from './fixtures.ts';

await registerArea('env-vars', setUpEnvVars, [
  afterGetsVariables,
  beforeDoesNot,
  otherNamespaces,
  noLinks,
]);
