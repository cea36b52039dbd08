import { describe, expect, it } from '@jest/globals';
import {
  clusterDomainFromKubeletConfig,
  clusterDomainFromSearch,
  ndots,
  parseCorefileKubernetes,
  parseResolvConf,
  zonesCover,
} from './dns-config.ts';

// kubeadm's default Corefile, as CoreDNS 1.12 runs it on a kind cluster.
const kubeadmCorefile = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

describe('parseResolvConf', () => {
  it("reads a ClusterFirst pod's resolv.conf", () => {
    const conf = parseResolvConf(
      'search ns1.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
    expect(conf).toEqual({
      nameservers: ['10.96.0.10'],
      search: ['ns1.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      options: ['ndots:5'],
    });
    expect(ndots(conf)).toBe(5);
  });

  it.each([
    [
      'comments and blank lines',
      '# generated\n\nnameserver 10.96.0.10 ; kube-dns\n',
      ['10.96.0.10'],
      [],
    ],
    ['the last search line wins', 'search a b\nsearch c\n', [], ['c']],
    ['domain replaces search', 'search a b\ndomain d\n', [], ['d']],
  ])('%s', (_what, text, nameservers, search) => {
    const conf = parseResolvConf(text);
    expect(conf.nameservers).toEqual(nameservers);
    expect(conf.search).toEqual(search);
  });

  it.each([
    ['options edns0 ndots:2 timeout:1\n', 2],
    ['options ndots:5\noptions ndots:3\n', 3],
    ['options edns0\n', undefined],
  ])('ndots of %j is %p', (text, value) => {
    expect(ndots(parseResolvConf(text))).toBe(value);
  });
});

describe('clusterDomainFromKubeletConfig', () => {
  it.each([
    [
      'apiVersion: kubelet.config.k8s.io/v1beta1\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\n',
      'cluster.local',
    ],
    ['clusterDomain: "corp.example."\n', 'corp.example'],
    ["clusterDomain: 'k8s.internal'\n", 'k8s.internal'],
    ['clusterDomain: ""\n', undefined],
    ['kind: KubeletConfiguration\n', undefined],
    ['authentication:\n  clusterDomain: nested.not.top\n', undefined],
  ])('%j → %p', (yaml, domain) => {
    expect(clusterDomainFromKubeletConfig(yaml)).toBe(domain);
  });
});

describe('clusterDomainFromSearch', () => {
  it.each([
    [['ns1.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], 'cluster.local'],
    [['ns1.svc.corp.example', 'svc.corp.example'], 'corp.example'],
    [['other.svc.cluster.local'], undefined],
    [[], undefined],
  ])('%j → %p', (search, domain) => {
    expect(clusterDomainFromSearch(search, 'ns1')).toBe(domain);
  });
});

describe('parseCorefileKubernetes', () => {
  it("reads kubeadm's Corefile", () => {
    expect(parseCorefileKubernetes(kubeadmCorefile)).toEqual({
      zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
      pods: 'insecure',
    });
  });

  it.each([
    [
      'no pods line: disabled',
      'kubernetes cluster.local {\n  ttl 30\n}\n',
      ['cluster.local'],
      'disabled',
    ],
    [
      'pods verified',
      'kubernetes cluster.local. {\n  pods verified\n}\n',
      ['cluster.local'],
      'verified',
    ],
    ['no block at all', '.:53 {\n  kubernetes cluster.local\n}\n', ['cluster.local'], 'disabled'],
    ['no zones', '.:53 {\n  kubernetes {\n    pods insecure\n  }\n}\n', [], 'insecure'],
    [
      'a commented-out option',
      'kubernetes cluster.local {\n  # pods insecure\n}\n',
      ['cluster.local'],
      'disabled',
    ],
  ])('%s', (_what, corefile, zones, pods) => {
    expect(parseCorefileKubernetes(corefile)).toEqual({ zones, pods });
  });

  it('is undefined without a kubernetes plugin', () => {
    expect(parseCorefileKubernetes('.:53 {\n  forward . 8.8.8.8\n}\n')).toBeUndefined();
  });
});

describe('zonesCover', () => {
  it.each([
    [['cluster.local', 'in-addr.arpa'], '194.144.96.10.in-addr.arpa.', true],
    [['cluster.local'], 'in-addr.arpa', false],
    [['cluster.local'], 'web.ns1.svc.cluster.local', true],
    [[], 'in-addr.arpa', true],
    [[''], 'anything.example', true],
  ])('%j cover %s: %p', (zones, name, covered) => {
    expect(zonesCover(zones, name)).toBe(covered);
  });
});
