// ClusterIP Services: virtual IP from the Service range, reachability by name, a large reply, a pod
// reaching itself (hairpin), spread over ready endpoints, scaling, pod deletion, readiness,
// isolation from outside, session affinity, UDP and one port number over TCP and UDP.
import { registerArea } from '../framework/area.ts';
import udpAnswersFromEveryEndpoint from './checks/a-udp-cluster-ip-answers-from-every-ready-endpoint.ts';
import largeReply from './checks/a-large-reply-through-a-cluster-ip-arrives-whole.ts';
import reachesItself from './checks/a-pod-reaches-itself-through-its-own-cluster-ip.ts';
import notReadyGetsNoTraffic from './checks/a-pod-that-is-not-ready-gets-no-traffic.ts';
import clientIPAffinity from './checks/client-ip-affinity-pins-a-client-to-one-backend.ts';
import notReachableFromOutside from './checks/cluster-ip-is-not-reachable-from-outside-the-cluster.ts';
import virtualIPFromRange from './checks/service-gets-a-virtual-ip-from-the-service-range-and-keeps-it.ts';
import tcpAndUdpOnOnePort from './checks/one-service-port-number-serves-tcp-and-udp-at-once.ts';
import reachableByName from './checks/service-is-reachable-by-ip-short-name-namespaced-name-and-fqdn.ts';
import followsScaling from './checks/traffic-follows-scaling-up-and-down.ts';
import spreadOverEndpoints from './checks/traffic-is-spread-over-every-ready-endpoint.ts';
import recoversFromDeletion from './checks/traffic-recovers-when-a-backend-pod-is-deleted.ts';
import { setUpClusterIP } from './fixtures.ts';

await registerArea('clusterip', setUpClusterIP, [
  virtualIPFromRange,
  reachableByName,
  largeReply,
  reachesItself,
  spreadOverEndpoints,
  followsScaling,
  recoversFromDeletion,
  notReadyGetsNoTraffic,
  notReachableFromOutside,
  clientIPAffinity,
  udpAnswersFromEveryEndpoint,
  tcpAndUdpOnOnePort,
]);
