/**
 * The environment variables the kubelet gives a container for each Service it injects (see the
 * Kubernetes documentation, "Discovering services: Environment variables"), as data: the
 * expected table built from a Service object, the observed table parsed from `env`, and a
 * comparison of the two.
 *
 * For a Service named web-front with ClusterIP 10.96.1.2 and first port 80/TCP named http:
 *   WEB_FRONT_SERVICE_HOST=10.96.1.2         WEB_FRONT_SERVICE_PORT=80 (first port)
 *   WEB_FRONT_SERVICE_PORT_HTTP=80           (one per named port)
 *   WEB_FRONT_PORT=tcp://10.96.1.2:80        (first port, Docker-links style)
 *   WEB_FRONT_PORT_80_TCP=tcp://10.96.1.2:80 and its _PROTO, _PORT, _ADDR (one set per port)
 */
import type { V1Service } from '@kubernetes/client-node';
import type { ComparisonRow } from '../framework/comparison.ts';

/** The variable prefix of a name: upper case, dashes as underscores ("web-front" → "WEB_FRONT"). */
export function variablePrefix(name: string): string {
  return name.toUpperCase().replaceAll('-', '_');
}

/**
 * The variables a container gets for `service`; none for a Service without a ClusterIP
 * (headless or ExternalName).
 */
export function expectedServiceVariables(service: V1Service): Map<string, string> {
  const out = new Map<string, string>();
  const ip = service.spec?.clusterIP;
  const ports = service.spec?.ports ?? [];
  const first = ports[0];
  if (ip === undefined || ip === '' || ip === 'None' || first === undefined) return out;
  const svc = variablePrefix(service.metadata?.name ?? '');
  const hostPort = (port: number): string =>
    ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  const proto = (p: { protocol?: string }): string => (p.protocol ?? 'TCP').toLowerCase();
  out.set(`${svc}_SERVICE_HOST`, ip);
  out.set(`${svc}_SERVICE_PORT`, String(first.port));
  for (const p of ports) {
    if (p.name !== undefined && p.name !== '') {
      out.set(`${svc}_SERVICE_PORT_${variablePrefix(p.name)}`, String(p.port));
    }
  }
  out.set(`${svc}_PORT`, `${proto(first)}://${hostPort(first.port)}`);
  for (const p of ports) {
    const base = `${svc}_PORT_${p.port}_${proto(p).toUpperCase()}`;
    out.set(base, `${proto(p)}://${hostPort(p.port)}`);
    out.set(`${base}_PROTO`, proto(p));
    out.set(`${base}_PORT`, String(p.port));
    out.set(`${base}_ADDR`, ip);
  }
  return out;
}

/** Parses `env` output into name → value (a line without "=" continues the previous value). */
export function parseEnv(stdout: string): Map<string, string> {
  const env = new Map<string, string>();
  let last: string | undefined;
  for (const line of stdout.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m?.[1] !== undefined) {
      last = m[1];
      env.set(last, m[2] ?? '');
    } else if (last !== undefined && line !== '') {
      env.set(last, `${env.get(last) ?? ''}\n${line}`);
    }
  }
  return env;
}

const serviceLike =
  /^[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)?)$/;

/** The variables of `env` shaped like Service variables (…_SERVICE_HOST, …_PORT_80_TCP_ADDR, …). */
export function serviceLikeVariables(env: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...env].filter(([name]) => serviceLike.test(name)));
}

/** The merged tables of several Services. */
export function mergeTables(tables: readonly ReadonlyMap<string, string>[]): Map<string, string> {
  return new Map(tables.flatMap((t) => [...t]));
}

/** Shown for a variable that is not set. */
export const absent = '(not set)';

/**
 * One row per variable of the union of both tables, sorted by name: its expected value (or "(not
 * set)" when it must be absent) and its observed value (or "(not set)").
 */
export function compareVariables(
  expected: ReadonlyMap<string, string>,
  observed: ReadonlyMap<string, string>,
): ComparisonRow[] {
  const names = [...new Set([...expected.keys(), ...observed.keys()])].sort();
  return names.map((name) => ({
    item: name,
    expected: expected.get(name) ?? absent,
    observed: observed.get(name) ?? absent,
  }));
}
