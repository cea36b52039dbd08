import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { mismatches } from '../../framework/comparison.ts';
import {
  compareIptablesService,
  iptablesServiceView,
  parseIptablesSave,
  servicePortName,
  splitRuleLine,
} from './iptables-save.ts';

// Dumps captured with `iptables-save -t nat` on a worker of a kind cluster (kube-proxy v1.34.4,
// iptables mode) while Deployment web behind Service knc-scratch-hlp/web-svc had 3, 2, then 1
// ready pod(s).
const dump = (n: number): string =>
  readFileSync(
    new URL(`../testdata/iptables-save-nat-${n}-endpoints.txt`, import.meta.url),
    'utf8',
  );
const http = servicePortName('knc-scratch-hlp', 'web-svc', 'http');

describe('splitRuleLine', () => {
  it('keeps a quoted comment as one argument', () => {
    expect(
      splitRuleLine(
        '-A KUBE-SVC-X -m comment --comment "ns/web:http -> 10.244.1.6:80" -j KUBE-SEP-Y',
      ),
    ).toEqual([
      '-A',
      'KUBE-SVC-X',
      '-m',
      'comment',
      '--comment',
      'ns/web:http -> 10.244.1.6:80',
      '-j',
      'KUBE-SEP-Y',
    ]);
  });
});

describe('servicePortName', () => {
  it.each([
    ['http', 'ns/web:http'],
    ['', 'ns/web'],
  ])('port name %p gives %p', (port, want) => {
    expect(servicePortName('ns', 'web', port)).toBe(want);
  });
});

describe('iptablesServiceView on real dumps', () => {
  const cases: [number, (number | undefined)[], string[]][] = [
    [3, [0.33333333349, 0.5, undefined], ['10.244.1.4:80', '10.244.1.6:80', '10.244.2.8:80']],
    [2, [0.5, undefined], ['10.244.1.6:80', '10.244.2.8:80']],
    [1, [undefined], ['10.244.1.6:80']],
  ];
  it.each(cases)('%i endpoint(s)', (n, probabilities, destinations) => {
    const view = iptablesServiceView(parseIptablesSave(dump(n)), http);
    expect(view.serviceChain).toBe('KUBE-SVC-N3DLFONQCTR4L5PE');
    expect(view.jumps.map((j) => j.probability)).toEqual(probabilities);
    expect(view.jumps.map((j) => j.destination)).toEqual(destinations);
    expect(mismatches(compareIptablesService(view, destinations))).toEqual([]);
  });

  it('finds the second port of the Service in its own chain', () => {
    const view = iptablesServiceView(
      parseIptablesSave(dump(3)),
      servicePortName('knc-scratch-hlp', 'web-svc', 'alt-port'),
    );
    expect(view.serviceChain).toBe('KUBE-SVC-5MFNLLFDBK52JWDU');
    expect(view.jumps).toHaveLength(3);
  });

  it('has no chain for a Service without endpoints (it is rejected in the filter table)', () => {
    const view = iptablesServiceView(
      parseIptablesSave(dump(3)),
      servicePortName('knc-scratch-hlp', 'empty-svc', ''),
    );
    expect(view).toEqual({ serviceChain: undefined, jumps: [] });
  });
});

describe('compareIptablesService', () => {
  it('reports stale rules: 3 rules while 2 endpoints are ready', () => {
    const view = iptablesServiceView(parseIptablesSave(dump(3)), http);
    const bad = mismatches(compareIptablesService(view, ['10.244.1.6:80', '10.244.2.8:80']));
    expect(bad).toEqual([
      {
        item: 'rule 1 of the KUBE-SVC chain',
        expected: 'probability 0.50000',
        observed: 'probability 0.33333',
      },
      {
        item: 'rule 2 of the KUBE-SVC chain',
        expected: 'no probability (last)',
        observed: 'probability 0.50000',
      },
      { item: 'rule 3 of the KUBE-SVC chain', expected: 'none', observed: 'no probability (last)' },
      { item: 'endpoint 10.244.1.4:80', expected: 'none', observed: '1 rule' },
    ]);
  });

  it('reports a missing Service chain and missing endpoints', () => {
    const bad = mismatches(
      compareIptablesService({ serviceChain: undefined, jumps: [] }, ['10.0.0.1:80']),
    );
    expect(bad.map((r) => `${r.item}: ${r.expected} / ${r.observed}`)).toEqual([
      'KUBE-SERVICES → KUBE-SVC chain: present / missing',
      'rule 1 of the KUBE-SVC chain: no probability (last) / none',
      'endpoint 10.0.0.1:80: 1 rule / none',
    ]);
  });

  it('reports uneven probabilities', () => {
    const view = {
      serviceChain: 'KUBE-SVC-X',
      jumps: [
        { sepChain: 'KUBE-SEP-A', probability: 0.9, destination: '10.0.0.1:80' },
        { sepChain: 'KUBE-SEP-B', probability: undefined, destination: '10.0.0.2:80' },
      ],
    };
    expect(mismatches(compareIptablesService(view, ['10.0.0.1:80', '10.0.0.2:80']))).toEqual([
      {
        item: 'rule 1 of the KUBE-SVC chain',
        expected: 'probability 0.50000',
        observed: 'probability 0.90000',
      },
    ]);
  });
});
