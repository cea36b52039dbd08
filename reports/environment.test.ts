import { describe, expect, test } from '@jest/globals';
import {
  cniFromDaemonSets,
  environmentProperties,
  kubeadmNetworking,
  proxyModeFromConfig,
  unknownEnvironment,
} from './environment.ts';

describe('cniFromDaemonSets', () => {
  const cases: [string[], string][] = [
    [['kube-flannel-ds', 'kube-proxy'], 'flannel'],
    [['kindnet', 'kube-proxy'], 'kindnet'],
    [['calico-node'], 'calico'],
    [['cilium', 'cilium-envoy'], 'cilium'],
    [['kube-proxy'], 'unknown'],
  ];
  test.each(cases)('%j is %s', (names, cni) => {
    expect(cniFromDaemonSets(names)).toBe(cni);
  });
});

test('proxyModeFromConfig reads the mode, the empty mode being iptables', () => {
  expect(proxyModeFromConfig('kind: KubeProxyConfiguration\nmode: nftables\n')).toBe('nftables');
  expect(proxyModeFromConfig('mode: ""\n')).toBe('iptables (default)');
  expect(proxyModeFromConfig('kind: KubeProxyConfiguration\n')).toBeUndefined();
});

test("kubeadmNetworking reads the networking block of kubeadm's ClusterConfiguration", () => {
  const config = 'networking:\n  dnsDomain: cluster.local\n  serviceSubnet: 10.96.0.0/16\n';
  expect(kubeadmNetworking(config, 'dnsDomain')).toBe('cluster.local');
  expect(kubeadmNetworking(config, 'serviceSubnet')).toBe('10.96.0.0/16');
  expect(kubeadmNetworking('', 'dnsDomain')).toBeUndefined();
});

test('environment.properties escapes the spaces of keys', () => {
  expect(
    environmentProperties({
      ...unknownEnvironment({ profile: 'iptables', runId: 'knc-1' }),
      kubernetesVersion: 'v1.34.4',
      serviceRange: '10.96.0.0/16',
    }),
  ).toBe(
    [
      'Kubernetes=v1.34.4',
      'Nodes=unknown',
      'kube-proxy\\ mode=unknown',
      'CNI=unknown',
      'Cluster\\ domain=unknown',
      'Service\\ range=10.96.0.0/16',
      'Profile=iptables',
      'Run=knc-1',
      '',
    ].join('\n'),
  );
});
