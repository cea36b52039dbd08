/**
 * Fixtures of the externalname area.
 *
 * The target of the ExternalName Service must be a DNS name. By default the target is a server
 * OUTSIDE the cluster that works offline: a netshoot container on the nodes' Docker network running
 * `knc-http-echo 80`, given a name CoreDNS can resolve through a headless Service without selector
 * (`outside-target`) whose one EndpointSlice, managed by us, holds the container's IP. The
 * ExternalName Service `external` then points at `outside-target.<ns>.svc.<cluster domain>`: a real
 * DNS name whose address is outside the cluster network.
 *
 * --external-target <dns name>[:port] points `external` at
 * that real name instead (a plain-HTTP server on the port, 80 by default); no outside container is
 * started then, and the answer is only required to be an HTTP response, since its content is not ours.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { SetupError } from '../../helpers/errors.ts';
import { startOutsideHost, type OutsideHost } from '../framework/outside.ts';
import type { SuiteContext } from '../framework/suite-context.ts';
import { createService, netshootContainer, podSpec, startPod } from '../framework/workloads.ts';

/** Where `external` points. */
export interface ExternalTarget {
  /** The DNS name in spec.externalName. */
  readonly name: string;
  /** The HTTP port the target serves. */
  readonly port: number;
  /** "the outside container …" or "--external-target …", for evidence. */
  readonly source: string;
  /** The host name the target's answer names ("This is <host>"), when the target is ours. */
  readonly answersAs: string | undefined;
}

/** The area's fixtures. */
export interface ExternalNameFixtures {
  /** A netshoot pod inside the cluster that resolves and requests through the Service name. */
  readonly client: V1Pod;
  /** The cluster's DNS domain, as the client pod's resolv.conf search path has it. */
  readonly clusterDomain: string;
  /** The ExternalName Service, as stored. */
  readonly service: V1Service;
  /** The Service's fully qualified name: external.<ns>.svc.<cluster domain>. */
  readonly serviceFQDN: string;
  readonly target: ExternalTarget;
  /** The outside server, when the target is ours. */
  readonly outside: OutsideHost | undefined;
}

/** Name of the ExternalName Service. */
export const externalServiceName = 'external';
/** Name of the selector-less headless Service that names the outside container. */
export const outsideTargetName = 'outside-target';

/**
 * Parses --external-target: a DNS name (RFC 1123, a trailing dot allowed), optionally ":port";
 * undefined when unset or empty.
 * @throws {SetupError} when the value is not a DNS name with an optional port.
 */
export function parseExternalTarget(
  raw: string | undefined,
): { name: string; port: number } | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)\.?(?::(\d{1,5}))?$/.exec(raw.trim());
  const name = m?.[1]?.toLowerCase();
  const port = m?.[2] === undefined ? 80 : Number(m[2]);
  if (
    name === undefined ||
    name.split('.').some((label) => label.length === 0 || label.length > 63) ||
    port < 1 ||
    port > 65535
  ) {
    throw new SetupError(
      `--external-target "${raw}" is not a DNS name with an optional port`,
      'give a name such as web.example.org or web.example.org:8080 (a server answering plain HTTP), or unset it to use the built-in outside server',
    );
  }
  return { name, port };
}

/** The cluster domain from a resolv.conf whose search path starts with <namespace>.svc.<domain>. */
export function clusterDomainFromResolvConf(text: string, namespace: string): string | undefined {
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'search') continue;
    const prefix = `${namespace}.svc.`;
    const first = words.slice(1).find((w) => w.startsWith(prefix));
    if (first !== undefined) return first.slice(prefix.length).replace(/\.$/, '');
  }
  return undefined;
}

/** Starts the outside server (unless --external-target is given), the client, and the Services. */
export async function setUpExternalName(ctx: SuiteContext): Promise<ExternalNameFixtures> {
  const given = parseExternalTarget(ctx.settings.externalTarget);
  const [client, outside] = await Promise.all([
    startPod(ctx, podSpec(ctx, { name: 'client', containers: [netshootContainer(ctx)] })),
    given === undefined
      ? startOutsideHost(ctx, 'outside-target', ['/usr/local/bin/knc-http-echo', '80'])
      : Promise.resolve(undefined),
  ]);
  const [resolvConf, outsideHostname] = await Promise.all([
    ctx.exec(client.metadata?.name ?? '', 'netshoot', ['cat', '/etc/resolv.conf']),
    outside?.exec(['hostname']),
  ]);
  const clusterDomain = clusterDomainFromResolvConf(resolvConf.stdout, ctx.namespace);
  if (clusterDomain === undefined) {
    throw new Error(
      `cannot tell the cluster domain: no "search ${ctx.namespace}.svc.<domain>" line in the client pod's /etc/resolv.conf:\n${resolvConf.stdout}`,
    );
  }
  let target: ExternalTarget;
  if (outside === undefined) {
    if (given === undefined) throw new Error('neither --external-target nor an outside server');
    target = {
      ...given,
      source: `--external-target ${ctx.settings.externalTarget ?? ''}`,
      answersAs: undefined,
    };
  } else {
    await startOutsideName(ctx, outside.ip);
    const hostname = outsideHostname?.stdout.trim() ?? '';
    if (hostname === '') throw new Error(`cannot read the host name of ${outside.name}`);
    target = {
      name: `${outsideTargetName}.${ctx.namespace}.svc.${clusterDomain}`,
      port: 80,
      source: `the outside container ${outside.name} (${outside.ip}, knc-http-echo on :80), named by the headless Service ${outsideTargetName} and a manual EndpointSlice`,
      answersAs: hostname,
    };
  }
  const service = await createService(ctx, {
    metadata: { name: externalServiceName },
    spec: { type: 'ExternalName', externalName: target.name },
  });
  return {
    client,
    clusterDomain,
    service,
    serviceFQDN: `${externalServiceName}.${ctx.namespace}.svc.${clusterDomain}`,
    target,
    outside,
  };
}

/**
 * Gives `ip` (outside the cluster) the name outside-target.<ns>.svc.<domain>: a headless Service
 * without selector and an EndpointSlice we manage (the EndpointSlice controller leaves slices of
 * other managers alone).
 */
async function startOutsideName(ctx: SuiteContext, ip: string): Promise<void> {
  await createService(ctx, {
    metadata: { name: outsideTargetName },
    spec: {
      clusterIP: 'None',
      ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
    },
  });
  await ctx.discovery.createNamespacedEndpointSlice({
    namespace: ctx.namespace,
    body: {
      metadata: {
        name: `${outsideTargetName}-manual`,
        namespace: ctx.namespace,
        labels: {
          ...ctx.labels,
          'kubernetes.io/service-name': outsideTargetName,
          'endpointslice.kubernetes.io/managed-by': 'kube-netconform',
        },
      },
      addressType: ip.includes(':') ? 'IPv6' : 'IPv4',
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    },
  });
}
