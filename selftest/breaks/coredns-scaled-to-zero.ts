// Break: the cluster DNS is gone. Deployment kube-system/coredns is scaled to 0, so the kube-dns
// Service has no endpoints and every query from a pod is rejected (kube-proxy answers a Service
// without endpoints with ICMP unreachable) or times out. Every DNS check that resolves a name must
// fail naming that outcome, and the ClusterIP check that reaches the Service by name must fail with
// NameNotResolved; what does not use DNS (resolv.conf contents, pod-to-pod by IP, ClusterIP by IP,
// environment variables) must still pass. Repair: scale back to the replicas it had, wait until
// they are available.
import { poll } from '../../helpers/poll.ts';
import type { Break, SelftestCluster } from '../break.ts';
import { checks } from '../checks.ts';

const namespace = 'kube-system';
const name = 'coredns';

/** Sets coredns's replica count through the scale subresource. */
async function scale(cluster: SelftestCluster, replicas: number): Promise<number> {
  const current = await cluster.apps.readNamespacedDeploymentScale({ name, namespace });
  const before = current.spec?.replicas ?? 0;
  await cluster.apps.replaceNamespacedDeploymentScale({
    name,
    namespace,
    body: { ...current, spec: { replicas } },
  });
  cluster.log(`${namespace}/${name}: scaled from ${before} to ${replicas}`);
  return before;
}

/** What a failed name resolution looks like in the DNS checks' and curl's verdicts. */
const dnsFailure =
  /TimedOut \(no DNS server answered\)|SERVFAIL|REFUSED|no servers? could be reached/;

export default {
  name: 'coredns-scaled-to-zero',
  description: 'Deployment kube-system/coredns scaled to 0 replicas (no cluster DNS server)',
  suites: ['dns', 'clusterip', 'pod-networking', 'env-vars'],
  apply: async (cluster) => {
    const before = await scale(cluster, 0);
    await poll({
      what: `every pod of ${namespace}/${name} gone`,
      deadline: 'deploymentReady',
      intervalMs: 1000,
      attempt: async () => {
        const pods = await cluster.core.listNamespacedPod({
          namespace,
          labelSelector: 'k8s-app=kube-dns',
        });
        return {
          done: pods.items.length === 0,
          state: pods.items.length,
          summary: `${pods.items.length} CoreDNS pod(s) left`,
        };
      },
    });
    return async () => {
      await scale(cluster, before === 0 ? 2 : before);
      await poll({
        what: `${namespace}/${name} available again`,
        deadline: 'corednsReady',
        intervalMs: 2000,
        attempt: async () => {
          const d = await cluster.apps.readNamespacedDeployment({ name, namespace });
          const want = d.spec?.replicas ?? 1;
          const have = d.status?.availableReplicas ?? 0;
          return { done: have >= want, state: have, summary: `${have} of ${want} available` };
        },
      });
    };
  },
  mustFail: [
    { check: checks.dns.serviceName, message: dnsFailure },
    { check: checks.dns.reversePtr, message: dnsFailure },
    { check: checks.dns.podIpName, message: dnsFailure },
    { check: checks.dns.headless, message: dnsFailure },
    { check: checks.dns.srv, message: dnsFailure },
    { check: checks.dns.statefulSet, message: dnsFailure },
    {
      // The ClusterIP row reached a backend while the short name did not resolve: DNS, not the
      // Service, is broken. (curl's "Resolving timed out" is classified TimedOut by the check.)
      check: checks.clusterip.byName,
      message:
        /ClusterIP .*observed Reached[\s\S]*short name .*observed (NameNotResolved|TimedOut)/,
    },
  ],
  mustPass: [
    checks.dns.resolvConf,
    checks.clusterip.spread,
    checks.podNetworking.localhost,
    checks.podNetworking.sameNode,
    checks.podNetworking.otherNode,
    checks.envVars.after,
    checks.envVars.before,
    checks.envVars.otherNamespaces,
    checks.envVars.linksDisabled,
  ],
} satisfies Break;
