// kube-proxy: the mode it runs in on every node, the rules it programs per mode (iptables,
// nftables, IPVS) and how they follow scaling, and the traffic behaviour that differs by mode.
import { registerArea } from '../framework/area.ts';
import noPingAnswer from './checks/a-cluster-ip-does-not-answer-ping.ts';
import unexposedPort from './checks/a-cluster-ip-port-the-service-does-not-expose-is-not-forwarded.ts';
import noEndpointsRefused from './checks/a-service-without-endpoints-refuses-connections.ts';
import everyNodeReportsMode from './checks/every-node-reports-the-configured-mode.ts';
import iptablesRules from './checks/iptables-service-chain-has-one-endpoint-rule-per-ready-endpoint-with-even-probabilities.ts';
import ipvsBindings from './checks/ipvs-cluster-ips-are-bound-to-kube-ipvs0.ts';
import ipvsRules from './checks/ipvs-virtual-server-has-the-scheduler-and-one-real-server-per-ready-endpoint.ts';
import nftablesRules from './checks/nftables-table-holds-the-cluster-ip-and-one-endpoint-per-ready-endpoint.ts';
import { setUpKubeProxy } from './fixtures.ts';

await registerArea('kube-proxy', setUpKubeProxy, [
  everyNodeReportsMode,
  noPingAnswer,
  unexposedPort,
  noEndpointsRefused,
  iptablesRules,
  nftablesRules,
  ipvsRules,
  ipvsBindings,
]);
