// Pod networking: containers of one pod over localhost, pod to pod on one node and across nodes,
// a large reply across nodes, egress to a host outside the cluster.
import { registerArea } from '../framework/area.ts';
import largeReplyOtherNode from './checks/a-large-reply-from-a-pod-on-another-node-arrives-whole.ts';
import containersShareLocalhost from './checks/containers-of-a-pod-share-localhost.ts';
import egressLeavesWithNodeIP from './checks/egress-leaves-with-the-node-ip.ts';
import podToPodOtherNode from './checks/pod-reaches-pod-on-another-node.ts';
import podToPodSameNode from './checks/pod-reaches-pod-on-the-same-node.ts';
import { setUpPodNetworking } from './fixtures.ts';

await registerArea('pod-networking', setUpPodNetworking, [
  containersShareLocalhost,
  podToPodSameNode,
  podToPodOtherNode,
  largeReplyOtherNode,
  egressLeavesWithNodeIP,
]);
