/**
 * Reads kube-proxy's IPVS mode: `ipvsadm -Ln` (one virtual server per ClusterIP:port with its
 * scheduler, one "->" real server line per endpoint) and `ip -o addr show dev kube-ipvs0` (the
 * dummy interface every ClusterIP is bound to; kube-proxy's KUBE-IPVS-FILTER chain still rejects
 * traffic to those addresses that matches no Service port, ping included).
 */
import { endpointRows, type ComparisonRow } from '../../framework/comparison.ts';

/** One real server of a virtual server. */
export interface RealServer {
  /** "ip:port" ("[v6]:port" for IPv6, as ipvsadm prints it). */
  readonly address: string;
  /** Masq, Route, Tunnel… */
  readonly forward: string;
  readonly weight: number;
}

/** One virtual server. */
export interface VirtualServer {
  /** TCP, UDP or SCTP. */
  readonly protocol: string;
  /** "ip:port" as ipvsadm prints it. */
  readonly address: string;
  readonly scheduler: string;
  /** What follows the scheduler (persistent …, ops), as printed. */
  readonly flags: string;
  readonly realServers: readonly RealServer[];
}

/** Parses `ipvsadm -Ln` (numeric) output; header lines are skipped. */
export function parseIpvsadm(text: string): VirtualServer[] {
  const servers: {
    protocol: string;
    address: string;
    scheduler: string;
    flags: string;
    realServers: RealServer[];
  }[] = [];
  for (const line of text.split('\n')) {
    const virtual = /^(TCP|UDP|SCTP)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line.trim());
    if (virtual !== null && !line.startsWith(' ')) {
      servers.push({
        protocol: virtual[1] ?? '',
        address: virtual[2] ?? '',
        scheduler: virtual[3] ?? '',
        flags: (virtual[4] ?? '').trim(),
        realServers: [],
      });
      continue;
    }
    const real = /^\s*->\s+(\S+)\s+(\S+)\s+(\d+)\s+\d+\s+\d+\s*$/.exec(line);
    const current = servers.at(-1);
    if (real !== null && current !== undefined) {
      current.realServers.push({
        address: real[1] ?? '',
        forward: real[2] ?? '',
        weight: Number(real[3]),
      });
    }
  }
  return servers;
}

/** "ip:port" as ipvsadm prints it ([…] around IPv6 addresses). */
export function ipvsAddress(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * Compares the virtual server of a ClusterIP port with the expected scheduler and the ready
 * endpoints ("ip:port"): the virtual server exists, uses the scheduler, and has exactly one real
 * server per endpoint.
 */
export function compareIpvsService(
  servers: readonly VirtualServer[],
  protocol: string,
  clusterIP: string,
  port: number,
  scheduler: string,
  expectedEndpoints: readonly string[],
): ComparisonRow[] {
  const address = ipvsAddress(clusterIP, port);
  const vs = servers.find((s) => s.protocol === protocol.toUpperCase() && s.address === address);
  return [
    {
      item: `virtual server ${protocol.toUpperCase()} ${address}`,
      expected: 'present',
      observed: vs === undefined ? 'missing' : 'present',
    },
    { item: 'scheduler', expected: scheduler, observed: vs?.scheduler ?? 'none' },
    ...endpointRows(
      expectedEndpoints,
      (vs?.realServers ?? []).map((r) => r.address),
      'real server',
    ),
  ];
}

/** The addresses (without prefix length) of `ip -o addr show dev <interface>` output. */
export function parseIpAddrShow(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\binet6?\s+([0-9a-fA-F.:]+)\/\d+/g)) {
    if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/** The scheduler kube-proxy's config asks for ("rr" when unset, kube-proxy's default). */
export function configuredIpvsScheduler(configConf: string): string {
  const ipvs = /^ipvs:\s*\n((?:[ \t]+.*\n?)*)/m.exec(configConf)?.[1] ?? '';
  const scheduler = /^\s+scheduler:\s*"?([a-z]*)"?\s*$/m.exec(ipvs)?.[1] ?? '';
  return scheduler === '' ? 'rr' : scheduler;
}
