/**
 * The cluster's Service IP range, from the most authoritative source that can be read:
 *
 * 1. kube-apiserver's `--service-cluster-ip-range` in the command of its static pod in kube-system
 *    (kubeadm and kind clusters);
 * 2. the ServiceCIDR objects of networking.k8s.io/v1 (Kubernetes ≥ 1.33), where the flag is not
 *    visible (managed control planes);
 * 3. an anchor: the `kubernetes` Service's ClusterIP, which kube-apiserver allocates from the first
 *    addresses of the range. The range itself is then unknown; the largest range kube-apiserver
 *    accepts through its flag has 20 host bits (/12 for IPv4, /108 for IPv6), so the anchored
 *    range is that prefix around the anchor: a weaker expectation, named as such in the evidence.
 */
import { BlockList, isIP } from 'node:net';
import { NetworkingV1Api } from '@kubernetes/client-node';
import type { SuiteContext } from '../framework/suite-context.ts';

/** One CIDR of the range. */
export interface Cidr {
  readonly network: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** The range and where it came from. */
export interface ServiceRange {
  readonly cidrs: readonly Cidr[];
  /** "kube-apiserver flag", "ServiceCIDR objects" or "anchor". */
  readonly source: string;
  /** What was read, for evidence. */
  readonly detail: string;
}

/** Parses "10.96.0.0/16" or "fd00::/108"; throws on anything else. */
export function parseCidr(text: string): Cidr {
  const [network = '', prefixText = ''] = text.trim().split('/');
  const version = isIP(network);
  const prefix = Number(prefixText);
  const bits = version === 4 ? 32 : 128;
  if (version === 0 || !/^\d{1,3}$/.test(prefixText) || prefix > bits) {
    throw new Error(`"${text}" is not a CIDR`);
  }
  return { network, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** True when `ip` lies in one of `cidrs`. */
export function inRange(ip: string, cidrs: readonly Cidr[]): boolean {
  const version = isIP(ip);
  if (version === 0) return false;
  const list = new BlockList();
  for (const c of cidrs) list.addSubnet(c.network, c.prefix, c.family);
  return list.check(ip, version === 4 ? 'ipv4' : 'ipv6');
}

/** "10.96.0.0/16, fd00::/108". */
export function renderCidrs(cidrs: readonly Cidr[]): string {
  return cidrs.map((c) => `${c.network}/${c.prefix}`).join(', ');
}

/** The CIDR of `prefix` bits that contains `ip` (host bits cleared). */
function enclosing(ip: string, family: 'ipv4' | 'ipv6', prefix: number): Cidr {
  if (family === 'ipv4') {
    const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const size = 2 ** (32 - prefix);
    const base = Math.floor(n / size) * size;
    const octets = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256);
    return { network: octets.join('.'), prefix, family };
  }
  // IPv6: expand, clear the host bits group by group.
  const [head = '', tail = ''] = ip.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
    : h;
  const cleared = groups.map((g, i) => {
    const keep = Math.max(0, Math.min(16, prefix - i * 16));
    const v = parseInt(g, 16);
    return (keep === 0 ? 0 : v & (0xffff << (16 - keep)) & 0xffff).toString(16);
  });
  return { network: cleared.join(':'), prefix, family };
}

/** Reads the Service range, trying the sources in order; never throws for a missing source. */
export async function readServiceRange(ctx: SuiteContext): Promise<ServiceRange> {
  const tried: string[] = [];
  try {
    const pods = await ctx.core.listNamespacedPod({
      namespace: 'kube-system',
      labelSelector: 'component=kube-apiserver',
    });
    for (const pod of pods.items) {
      for (const c of pod.spec?.containers ?? []) {
        for (const arg of [...(c.command ?? []), ...(c.args ?? [])]) {
          const m = /^--service-cluster-ip-range=(.+)$/.exec(arg);
          if (m?.[1] !== undefined) {
            return {
              cidrs: m[1].split(',').map(parseCidr),
              source: 'kube-apiserver flag',
              detail: `pod kube-system/${pod.metadata?.name ?? '?'}: ${arg}`,
            };
          }
        }
      }
    }
    tried.push(`${pods.items.length} kube-apiserver pod(s) in kube-system, none with the flag`);
  } catch (error) {
    tried.push(`kube-apiserver pods not readable: ${String(error)}`);
  }
  try {
    const list = await ctx.kubeConfig.makeApiClient(NetworkingV1Api).listServiceCIDR();
    const cidrs = list.items.flatMap((s) => s.spec?.cidrs ?? []);
    if (cidrs.length > 0) {
      return {
        cidrs: cidrs.map(parseCidr),
        source: 'ServiceCIDR objects',
        detail: `${tried.join('; ')}; ServiceCIDRs ${list.items.map((s) => `${s.metadata?.name ?? '?'}=${(s.spec?.cidrs ?? []).join(',')}`).join(' ')}`,
      };
    }
    tried.push('no ServiceCIDR objects');
  } catch (error) {
    tried.push(`ServiceCIDRs not readable: ${String(error)}`);
  }
  const kubernetes = await ctx.core.readNamespacedService({
    name: 'kubernetes',
    namespace: 'default',
  });
  const anchors = kubernetes.spec?.clusterIPs ?? [kubernetes.spec?.clusterIP ?? ''];
  const cidrs = anchors.map((ip) =>
    isIP(ip) === 4 ? enclosing(ip, 'ipv4', 12) : enclosing(ip, 'ipv6', 108),
  );
  return {
    cidrs,
    source: 'anchor',
    detail: `${tried.join('; ')}; the kubernetes Service has ${anchors.join(', ')}; assumed range: the largest kube-apiserver accepts around it`,
  };
}
