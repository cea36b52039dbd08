import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { mismatches } from '../../framework/comparison.ts';
import { compareNftService, nftKey, nftServiceView, parseNftJson } from './nft-json.ts';

// Dumps captured with `nft -j list table ip kube-proxy` on a worker of a kind cluster (kube-proxy
// v1.34.4, nftables mode) while Deployment web behind Service knc-scratch-hlp/web-svc
// (ClusterIP 10.96.99.102, ports 80 "http" and 8080 "alt-port") had 3, 2, then 1 ready pod(s).
const dump = (n: number): string =>
  readFileSync(new URL(`../testdata/nft-kube-proxy-${n}-endpoints.json`, import.meta.url), 'utf8');
const clusterIP = '10.96.99.102';

describe('nftKey', () => {
  it.each([
    [{ concat: ['10.96.0.1', 'tcp', 443] }, '10.96.0.1 . tcp . 443'],
    [
      { elem: { val: { concat: ['10.96.0.2', 'tcp', 80] }, comment: 'ns/svc' } },
      '10.96.0.2 . tcp . 80',
    ],
    ['10.96.0.10', '10.96.0.10'],
  ])('%j is %p', (value, want) => {
    expect(nftKey(value)).toBe(want);
  });
});

describe('nftServiceView on real dumps', () => {
  const cases: [number, string[]][] = [
    [3, ['10.244.1.2:80', '10.244.2.2:80', '10.244.2.3:80']],
    [2, ['10.244.1.2:80', '10.244.2.3:80']],
    [1, ['10.244.1.2:80']],
  ];
  it.each(cases)('%i endpoint(s)', (n, endpoints) => {
    const view = nftServiceView(parseNftJson(dump(n)), clusterIP, 'TCP', 80);
    expect(view).toEqual({
      inClusterIPs: true,
      serviceChain: 'service-IE6NER2X-knc-scratch-hlp/web-svc/tcp/http',
      numgenMod: n,
      endpoints,
    });
    expect(mismatches(compareNftService(view, clusterIP, 'TCP', 80, endpoints))).toEqual([]);
  });

  it('finds the second port in its own chain', () => {
    const view = nftServiceView(parseNftJson(dump(3)), clusterIP, 'tcp', 8080);
    expect(view.serviceChain).toBe('service-EUH4B764-knc-scratch-hlp/web-svc/tcp/alt-port');
    expect(view.numgenMod).toBe(3);
  });

  it('maps no port of a Service without endpoints, yet lists its ClusterIP', () => {
    const table = parseNftJson(dump(3));
    expect(nftServiceView(table, '10.96.101.50', 'tcp', 80)).toEqual({
      inClusterIPs: true,
      serviceChain: undefined,
      numgenMod: undefined,
      endpoints: [],
    });
    expect(table.maps.get('no-endpoint-services')?.get('10.96.101.50 . tcp . 80')).toBe(
      'reject-chain',
    );
  });

  it('rejects text that is not nft JSON', () => {
    expect(() => parseNftJson('{"foo": 1}')).toThrow(/not nft JSON/);
  });
});

describe('compareNftService', () => {
  it('reports stale rules: 3 entries while 2 endpoints are ready', () => {
    const view = nftServiceView(parseNftJson(dump(3)), clusterIP, 'tcp', 80);
    expect(
      mismatches(compareNftService(view, clusterIP, 'tcp', 80, ['10.244.1.2:80', '10.244.2.3:80'])),
    ).toEqual([
      { item: 'numgen random mod (endpoints spread over)', expected: '2', observed: '3' },
      { item: 'endpoint 10.244.2.2:80', expected: 'none', observed: '1 vmap entry' },
    ]);
  });

  it('reports a table without the Service (flushed or never programmed)', () => {
    const view = nftServiceView(parseNftJson('{"nftables": []}'), clusterIP, 'tcp', 80);
    expect(
      mismatches(compareNftService(view, clusterIP, 'tcp', 80, ['10.244.1.2:80'])).map(
        (r) => r.item,
      ),
    ).toEqual([
      'cluster-ips set holds 10.96.99.102',
      'service-ips maps 10.96.99.102 . tcp . 80',
      'numgen random mod (endpoints spread over)',
      'endpoint 10.244.1.2:80',
    ]);
  });
});
