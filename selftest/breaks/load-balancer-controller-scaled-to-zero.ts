// Break: the LoadBalancer implementation's controller is gone. Deployment metallb-system/controller
// (MetalLB, installed by `cluster up`) is scaled to 0, so no new LoadBalancer Service gets an
// external address; the speakers keep running. The suite still detects MetalLB (its controller
// Deployment exists), so the LoadBalancer checks run and those that need a new address must fail
// with "got no external address within N s" (not be skipped); the same Service's NodePort and
// ClusterIP, and the nodeport area, must still pass. Repair: scale back to the replicas it had and
// wait until they are available.
import { scaleToZero, type Break } from '../break.ts';

const namespace = 'metallb-system';
const name = 'controller';

/** The check ids this break names (suites/loadbalancer/checks/<file>). */
const lb = {
  assigned: 'loadbalancer/an-external-ip-is-assigned-within-the-deadline',
  spread: 'loadbalancer/the-external-ip-answers-outside-clients-from-every-backend',
  local: 'loadbalancer/local-traffic-policy-keeps-the-client-source-ip',
  released: 'loadbalancer/deleting-the-service-releases-its-address',
  nodePort: 'loadbalancer/the-node-port-of-a-load-balancer-service-still-answers',
  clusterIP: 'loadbalancer/the-cluster-ip-of-a-load-balancer-service-still-answers',
} as const;

/** The message of a check whose Service never got an address. */
const noAddress = /got no external address within \d+ s/;

export default {
  name: 'load-balancer-controller-scaled-to-zero',
  description: `Deployment ${namespace}/${name} (MetalLB's controller) scaled to 0 replicas`,
  suites: ['loadbalancer', 'nodeport'],
  apply: (cluster) =>
    scaleToZero(cluster, {
      namespace,
      name,
      podSelector: 'app=metallb,component=controller',
      fallbackReplicas: 1,
      availableDeadline: 'deploymentReady',
    }),
  mustFail: [
    { check: lb.assigned, message: noAddress },
    { check: lb.spread, message: noAddress },
    { check: lb.local, message: noAddress },
    { check: lb.released, message: noAddress },
  ],
  mustPass: [
    lb.nodePort,
    lb.clusterIP,
    'nodeport/every-node-serves-the-node-port-to-outside-clients-across-all-backends',
    'nodeport/the-node-port-service-answers-on-its-cluster-ip-from-inside',
  ],
} satisfies Break;
