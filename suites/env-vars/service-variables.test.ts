import { describe, expect, it } from '@jest/globals';
import { mismatches } from '../framework/comparison.ts';
import {
  absent,
  compareVariables,
  expectedServiceVariables,
  mergeTables,
  parseEnv,
  serviceLikeVariables,
  variablePrefix,
} from './service-variables.ts';

// `env` of a busybox pod created after Services web-svc (ports 80 "http", 8080 "alt-port") and
// empty-svc (port 80, unnamed) in its namespace, captured on a kind cluster (Kubernetes v1.34.4).
const captured = `EMPTY_SVC_PORT=tcp://10.96.181.144:80
EMPTY_SVC_PORT_80_TCP=tcp://10.96.181.144:80
EMPTY_SVC_PORT_80_TCP_ADDR=10.96.181.144
EMPTY_SVC_PORT_80_TCP_PORT=80
EMPTY_SVC_PORT_80_TCP_PROTO=tcp
EMPTY_SVC_SERVICE_HOST=10.96.181.144
EMPTY_SVC_SERVICE_PORT=80
HOME=/root
HOSTNAME=bb
KUBERNETES_PORT=tcp://10.96.0.1:443
KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443
KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1
KUBERNETES_PORT_443_TCP_PORT=443
KUBERNETES_PORT_443_TCP_PROTO=tcp
KUBERNETES_SERVICE_HOST=10.96.0.1
KUBERNETES_SERVICE_PORT=443
KUBERNETES_SERVICE_PORT_HTTPS=443
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WEB_SVC_PORT=tcp://10.96.224.37:80
WEB_SVC_PORT_8080_TCP=tcp://10.96.224.37:8080
WEB_SVC_PORT_8080_TCP_ADDR=10.96.224.37
WEB_SVC_PORT_8080_TCP_PORT=8080
WEB_SVC_PORT_8080_TCP_PROTO=tcp
WEB_SVC_PORT_80_TCP=tcp://10.96.224.37:80
WEB_SVC_PORT_80_TCP_ADDR=10.96.224.37
WEB_SVC_PORT_80_TCP_PORT=80
WEB_SVC_PORT_80_TCP_PROTO=tcp
WEB_SVC_SERVICE_HOST=10.96.224.37
WEB_SVC_SERVICE_PORT=80
WEB_SVC_SERVICE_PORT_ALT_PORT=8080
WEB_SVC_SERVICE_PORT_HTTP=80
`;
const svc = (
  name: string,
  ip: string,
  ports: { name?: string; port: number; protocol?: string }[],
) => ({
  metadata: { name },
  spec: { clusterIP: ip, ports },
});

describe('variablePrefix', () => {
  it.each([
    ['web-svc', 'WEB_SVC'],
    ['kubernetes', 'KUBERNETES'],
    ['a-b-c1', 'A_B_C1'],
  ])('%p → %p', (name, want) => {
    expect(variablePrefix(name)).toBe(want);
  });
});

describe('expectedServiceVariables', () => {
  it('matches what the kubelet set for the captured Services, exactly', () => {
    const expected = mergeTables([
      expectedServiceVariables(svc('kubernetes', '10.96.0.1', [{ name: 'https', port: 443 }])),
      expectedServiceVariables(
        svc('web-svc', '10.96.224.37', [
          { name: 'http', port: 80, protocol: 'TCP' },
          { name: 'alt-port', port: 8080, protocol: 'TCP' },
        ]),
      ),
      expectedServiceVariables(svc('empty-svc', '10.96.181.144', [{ port: 80, protocol: 'TCP' }])),
    ]);
    const rows = compareVariables(expected, serviceLikeVariables(parseEnv(captured)));
    expect(mismatches(rows)).toEqual([]);
    expect(rows).toHaveLength(8 + 13 + 7);
  });

  it('names UDP ports with _UDP and a lower-case protocol', () => {
    const vars = expectedServiceVariables(
      svc('dns', '10.96.0.10', [{ name: 'dns', port: 53, protocol: 'UDP' }]),
    );
    expect(vars.get('DNS_PORT')).toBe('udp://10.96.0.10:53');
    expect(vars.get('DNS_PORT_53_UDP_PROTO')).toBe('udp');
  });

  it('puts an IPv6 ClusterIP in brackets in the URLs only', () => {
    const vars = expectedServiceVariables(svc('v6', 'fd00::a', [{ port: 80 }]));
    expect(vars.get('V6_PORT')).toBe('tcp://[fd00::a]:80');
    expect(vars.get('V6_PORT_80_TCP_ADDR')).toBe('fd00::a');
    expect(vars.get('V6_SERVICE_HOST')).toBe('fd00::a');
  });

  it('gives nothing for a headless Service', () => {
    expect(expectedServiceVariables(svc('headless', 'None', [{ port: 80 }])).size).toBe(0);
  });
});

describe('serviceLikeVariables', () => {
  it('keeps only Service-shaped names', () => {
    const env = parseEnv(
      'HOME=/root\nMY_PORT=1\nX_SERVICE_HOST=1.2.3.4\nX_PORT_80_TCP_ADDR=1.2.3.4\nPORT=8\n',
    );
    expect([...serviceLikeVariables(env).keys()]).toEqual([
      'MY_PORT',
      'X_SERVICE_HOST',
      'X_PORT_80_TCP_ADDR',
    ]);
  });
});

describe('compareVariables', () => {
  it('shows missing, extra and wrong values', () => {
    const rows = compareVariables(
      new Map([
        ['A_SERVICE_HOST', '10.0.0.1'],
        ['A_SERVICE_PORT', '80'],
      ]),
      new Map([
        ['A_SERVICE_HOST', '10.0.0.2'],
        ['B_SERVICE_HOST', '10.0.0.3'],
      ]),
    );
    expect(mismatches(rows)).toEqual([
      { item: 'A_SERVICE_HOST', expected: '10.0.0.1', observed: '10.0.0.2' },
      { item: 'A_SERVICE_PORT', expected: '80', observed: absent },
      { item: 'B_SERVICE_HOST', expected: absent, observed: '10.0.0.3' },
    ]);
  });
});
