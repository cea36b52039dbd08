// ExternalName Services: a DNS alias (CNAME, no ClusterIP, no endpoints) through which pods reach a
// target outside the cluster (the built-in outside server, or --external-target).
import { registerArea } from '../framework/area.ts';
import cnameWithoutClusterIP from './checks/the-service-name-is-a-cname-to-the-external-name-with-no-cluster-ip-or-endpoints.ts';
import targetAnswers from './checks/the-target-answers-through-the-service-name.ts';
import { setUpExternalName } from './fixtures.ts';

await registerArea('externalname', setUpExternalName, [cnameWithoutClusterIP, targetAnswers]);
