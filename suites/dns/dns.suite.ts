// DNS: Service and pod names served by the cluster DNS (CoreDNS's kubernetes plugin), as a pod
// sees them through its resolv.conf.
import { registerArea } from '../framework/area.ts';
import headlessReadyPods from './checks/a-headless-service-resolves-to-exactly-its-ready-pods.ts';
import clusterIPReverse from './checks/a-cluster-ip-reverse-resolves-to-the-service-name.ts';
import etcHosts from './checks/a-pods-etc-hosts-names-the-pod-and-its-host-aliases.ts';
import dnsPolicyNone from './checks/a-pod-with-dns-policy-none-gets-exactly-its-dns-config.ts';
import podIPName from './checks/a-pod-ip-name-resolves-to-the-pod-ip.ts';
import serviceName from './checks/a-service-name-resolves-to-its-cluster-ip.ts';
import namedPortSrv from './checks/named-ports-have-srv-records.ts';
import resolvConf from './checks/pods-resolv-conf-points-at-kube-dns-with-the-cluster-search-list.ts';
import statefulSetPods from './checks/statefulset-pods-resolve-under-their-governing-service.ts';
import { setUpDns } from './fixtures.ts';

await registerArea('dns', setUpDns, [
  serviceName,
  resolvConf,
  headlessReadyPods,
  statefulSetPods,
  namedPortSrv,
  podIPName,
  clusterIPReverse,
  dnsPolicyNone,
  etcHosts,
]);
