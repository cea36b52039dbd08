// LoadBalancer Services: an external address assigned within a deadline, reachable from outside
// the cluster and spread over every endpoint, NodePort and ClusterIP kept, the client's address
// kept with externalTrafficPolicy Local, the address released when the Service goes. Skipped, with
// the reason, on a cluster without any LoadBalancer implementation (see implementation.ts).
import type { Check } from '../framework/check.ts';
import { registerArea } from '../framework/area.ts';
import addressAssigned from './checks/an-external-ip-is-assigned-within-the-deadline.ts';
import releasedOnDelete from './checks/deleting-the-service-releases-its-address.ts';
import localKeepsClientIP from './checks/local-traffic-policy-keeps-the-client-source-ip.ts';
import clusterIPFromInside from './checks/the-cluster-ip-of-a-load-balancer-service-still-answers.ts';
import externalIPSpread from './checks/the-external-ip-answers-outside-clients-from-every-backend.ts';
import nodePortFromOutside from './checks/the-node-port-of-a-load-balancer-service-still-answers.ts';
import { setUpLoadBalancer, type LoadBalancerFixtures } from './fixtures.ts';
import { findImplementation } from './implementation.ts';

const implementation = await findImplementation();

/** Every check, skipped with the reason when there is no implementation to verify. */
function requiringImplementation(
  checks: readonly Check<LoadBalancerFixtures>[],
): Check<LoadBalancerFixtures>[] {
  if (implementation.present) return [...checks];
  const reason = implementation.reason;
  return checks.map((c) => ({ ...c, skipUnless: () => reason }));
}

await registerArea(
  'loadbalancer',
  setUpLoadBalancer,
  requiringImplementation([
    addressAssigned,
    externalIPSpread,
    nodePortFromOutside,
    clusterIPFromInside,
    localKeepsClientIP,
    releasedOnDelete,
  ]),
);
