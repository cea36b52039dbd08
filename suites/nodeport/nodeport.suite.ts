// NodePort Services: the allocated and requested ports, reachability on every node from outside the
// cluster and on the ClusterIP from inside, a large reply through a node without the endpoint, and
// externalTrafficPolicy Local versus Cluster, a UDP node port on every node.
import { registerArea } from '../framework/area.ts';
import largeReply from './checks/a-large-reply-through-a-node-port-arrives-whole.ts';
import udpOnEveryNode from './checks/a-udp-node-port-answers-on-every-node.ts';
import requestedPortHonoured from './checks/a-requested-node-port-is-honoured.ts';
import allocatedInRange from './checks/allocated-node-ports-lie-in-the-node-port-range.ts';
import everyNodeServes from './checks/every-node-serves-the-node-port-to-outside-clients-across-all-backends.ts';
import localAnswersOnlyWithEndpoint from './checks/local-traffic-policy-answers-only-on-nodes-with-an-endpoint.ts';
import localPreservesClientIP from './checks/local-traffic-policy-preserves-the-client-ip.ts';
import clusterIPFromInside from './checks/the-node-port-service-answers-on-its-cluster-ip-from-inside.ts';
import { setUpNodePort } from './fixtures.ts';

await registerArea('nodeport', setUpNodePort, [
  allocatedInRange,
  requestedPortHonoured,
  everyNodeServes,
  clusterIPFromInside,
  largeReply,
  localAnswersOnlyWithEndpoint,
  localPreservesClientIP,
  udpOnEveryNode,
]);
