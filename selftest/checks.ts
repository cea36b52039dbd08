/**
 * The check ids the breaks name, in one place: if a check is renamed or moved, fix it here. Each is
 * `<area>/<file name>` as in suites/<area>/checks/ (the catalog each run writes maps jest's test
 * names to these ids).
 */
export const checks = {
  dns: {
    serviceName: 'dns/a-service-name-resolves-to-its-cluster-ip',
    reversePtr: 'dns/a-cluster-ip-reverse-resolves-to-the-service-name',
    podIpName: 'dns/a-pod-ip-name-resolves-to-the-pod-ip',
    headless: 'dns/a-headless-service-resolves-to-exactly-its-ready-pods',
    srv: 'dns/named-ports-have-srv-records',
    statefulSet: 'dns/statefulset-pods-resolve-under-their-governing-service',
    resolvConf: 'dns/pods-resolv-conf-points-at-kube-dns-with-the-cluster-search-list',
  },
  clusterip: {
    byName: 'clusterip/service-is-reachable-by-ip-short-name-namespaced-name-and-fqdn',
    spread: 'clusterip/traffic-is-spread-over-every-ready-endpoint',
    largeReply: 'clusterip/a-large-reply-through-a-cluster-ip-arrives-whole',
    hairpin: 'clusterip/a-pod-reaches-itself-through-its-own-cluster-ip',
    udpEveryEndpoint: 'clusterip/a-udp-cluster-ip-answers-from-every-ready-endpoint',
    tcpAndUdpOnOnePort: 'clusterip/one-service-port-number-serves-tcp-and-udp-at-once',
  },
  nodeport: {
    everyNode: 'nodeport/every-node-serves-the-node-port-to-outside-clients-across-all-backends',
    clusterIpFromInside: 'nodeport/the-node-port-service-answers-on-its-cluster-ip-from-inside',
    allocatedInRange: 'nodeport/allocated-node-ports-lie-in-the-node-port-range',
    largeReply: 'nodeport/a-large-reply-through-a-node-port-arrives-whole',
    udpEveryNode: 'nodeport/a-udp-node-port-answers-on-every-node',
  },
  kubeProxy: {
    mode: 'kube-proxy/every-node-reports-the-configured-mode',
    noEndpointsRefused: 'kube-proxy/a-service-without-endpoints-refuses-connections',
  },
  podNetworking: {
    localhost: 'pod-networking/containers-of-a-pod-share-localhost',
    sameNode: 'pod-networking/pod-reaches-pod-on-the-same-node',
    otherNode: 'pod-networking/pod-reaches-pod-on-another-node',
    egress: 'pod-networking/egress-leaves-with-the-node-ip',
    largeReply: 'pod-networking/a-large-reply-from-a-pod-on-another-node-arrives-whole',
  },
  externalname: {
    cname:
      'externalname/the-service-name-is-a-cname-to-the-external-name-with-no-cluster-ip-or-endpoints',
    targetAnswers: 'externalname/the-target-answers-through-the-service-name',
  },
  envVars: {
    after: 'env-vars/a-pod-created-after-a-service-gets-its-variables',
    before: 'env-vars/a-pod-created-before-a-service-does-not-get-its-variables',
    otherNamespaces: 'env-vars/services-of-other-namespaces-are-not-injected',
    linksDisabled:
      'env-vars/with-service-links-disabled-only-the-kubernetes-service-variables-are-set',
  },
} as const;
