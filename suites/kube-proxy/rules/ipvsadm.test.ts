import { describe, expect, it } from '@jest/globals';
import { mismatches } from '../../framework/comparison.ts';
import {
  compareIpvsService,
  configuredIpvsScheduler,
  parseIpAddrShow,
  parseIpvsadm,
} from './ipvsadm.ts';

// Hand-written in the layout of `ipvsadm -Ln` (ipvsadm 1.31): this machine's kernel has no IP_VS,
// so no IPVS cluster could be run to capture a real dump.
const ipvsadm = `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  10.96.0.1:443 rr
  -> 172.18.0.2:6443              Masq    1      3          0
TCP  10.96.0.10:53 rr
  -> 10.244.0.2:53                Masq    1      0          0
  -> 10.244.0.3:53                Masq    1      0          0
TCP  10.96.120.7:80 rr
  -> 10.244.1.4:80                Masq    1      0          0
  -> 10.244.1.6:80                Masq    1      0          2
  -> 10.244.2.8:80                Masq    1      0          0
UDP  10.96.0.10:53 rr
  -> 10.244.0.2:53                Masq    1      0          0
TCP  10.96.33.3:8080 sh persistent 10800
TCP  [fd00:10:96::a]:80 lc
  -> [fd00:10:244:1::4]:80        Masq    1      0          0
`;

describe('parseIpvsadm', () => {
  const servers = parseIpvsadm(ipvsadm);
  it('reads every virtual server with its scheduler and flags', () => {
    expect(
      servers.map((s) => `${s.protocol} ${s.address} ${s.scheduler} ${s.flags}`.trim()),
    ).toEqual([
      'TCP 10.96.0.1:443 rr',
      'TCP 10.96.0.10:53 rr',
      'TCP 10.96.120.7:80 rr',
      'UDP 10.96.0.10:53 rr',
      'TCP 10.96.33.3:8080 sh persistent 10800',
      'TCP [fd00:10:96::a]:80 lc',
    ]);
  });
  it('attaches real servers to their virtual server', () => {
    expect(servers[2]?.realServers).toEqual([
      { address: '10.244.1.4:80', forward: 'Masq', weight: 1 },
      { address: '10.244.1.6:80', forward: 'Masq', weight: 1 },
      { address: '10.244.2.8:80', forward: 'Masq', weight: 1 },
    ]);
    expect(servers[4]?.realServers).toEqual([]);
    expect(servers[5]?.realServers.map((r) => r.address)).toEqual(['[fd00:10:244:1::4]:80']);
  });
  it('reads nothing from an empty table or an error message', () => {
    expect(parseIpvsadm("Can't initialize ipvs: Protocol not available\n")).toEqual([]);
  });
});

describe('compareIpvsService', () => {
  const servers = parseIpvsadm(ipvsadm);
  const ready = ['10.244.1.4:80', '10.244.1.6:80', '10.244.2.8:80'];
  it('matches a virtual server with one real server per ready endpoint', () => {
    expect(mismatches(compareIpvsService(servers, 'TCP', '10.96.120.7', 80, 'rr', ready))).toEqual(
      [],
    );
  });
  it('reports a stale real server after scaling down', () => {
    expect(
      mismatches(compareIpvsService(servers, 'tcp', '10.96.120.7', 80, 'rr', ready.slice(1))),
    ).toEqual([{ item: 'endpoint 10.244.1.4:80', expected: 'none', observed: '1 real server' }]);
  });
  it('reports another scheduler', () => {
    expect(
      mismatches(compareIpvsService(servers, 'TCP', '10.96.0.1', 443, 'lc', ['172.18.0.2:6443'])),
    ).toEqual([{ item: 'scheduler', expected: 'lc', observed: 'rr' }]);
  });
  it('reports a missing virtual server', () => {
    expect(
      mismatches(compareIpvsService(servers, 'TCP', '10.96.9.9', 80, 'rr', ['10.244.1.1:80'])).map(
        (r) => r.item,
      ),
    ).toEqual(['virtual server TCP 10.96.9.9:80', 'scheduler', 'endpoint 10.244.1.1:80']);
  });
});

describe('parseIpAddrShow', () => {
  it('reads the addresses bound to kube-ipvs0', () => {
    const text = `5: kube-ipvs0    inet 10.96.0.1/32 scope global kube-ipvs0\\       valid_lft forever preferred_lft forever
5: kube-ipvs0    inet 10.96.0.10/32 scope global kube-ipvs0\\       valid_lft forever preferred_lft forever
5: kube-ipvs0    inet6 fd00:10:96::a/128 scope global \\       valid_lft forever preferred_lft forever
`;
    expect(parseIpAddrShow(text)).toEqual(['10.96.0.1', '10.96.0.10', 'fd00:10:96::a']);
  });
  it('reads nothing when the interface does not exist', () => {
    expect(parseIpAddrShow('Device "kube-ipvs0" does not exist.\n')).toEqual([]);
  });
});

describe('configuredIpvsScheduler', () => {
  it.each([
    [
      'ipvs:\n  excludeCIDRs: null\n  scheduler: ""\n  strictARP: false\nkind: KubeProxyConfiguration\n',
      'rr',
    ],
    ['ipvs:\n  scheduler: lc\n  syncPeriod: 0s\nmode: ipvs\n', 'lc'],
    ['mode: iptables\n', 'rr'],
  ])('%p → %p', (conf, want) => {
    expect(configuredIpvsScheduler(conf)).toBe(want);
  });
});
