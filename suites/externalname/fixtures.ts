/**
 * Fixtures of the externalname area.
 *
 * The target of the ExternalName Service must be a name the cluster's DNS does not serve itself, so
 * that following the CNAME takes CoreDNS through its upstream resolver (`forward` in the Corefile),
 * as for a real ExternalName Service. By default the target is a server OUTSIDE the cluster that
 * works offline: a netshoot container on the nodes' Docker network running `knc-http-echo 80`,
 * named by its container name. The nodes resolve through Docker's embedded DNS, which answers the
 * names of the containers on their network, and CoreDNS forwards names outside the cluster zone to
 * the nodes' resolver: pod → CoreDNS → forward → Docker's DNS → the container's address.
 *
 * --external-target <dns name>[:port] points `external` at that name instead (a plain-HTTP server on
 * the port, 80 by default); no outside container is started then, and the answer is only required
 * to be an HTTP response, since its content is not ours. Where neither is possible (no Docker
 * network of the nodes), `external` points at a name that never resolves (RFC 6761 `.invalid`):
 * the CNAME check needs no server, and the target check is skipped.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { SetupError } from '../../helpers/errors.ts';
import { outsideHostUnavailable } from '../framework/outside-network.ts';
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
/** The role (container name suffix) of the outside server. */
const outsideRole = 'outside-target';

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

/**
 * Why the target check cannot run: no --external-target and no host outside the cluster (the
 * reason given); undefined when it can.
 */
export function noTargetReason(
  externalTarget: string | undefined,
  outsideUnavailable: string | undefined,
): string | undefined {
  if (parseExternalTarget(externalTarget) !== undefined || outsideUnavailable === undefined)
    return undefined;
  return `no target outside the cluster: ${outsideUnavailable}; give --external-target NAME[:PORT], a plain-HTTP server whose name the cluster's DNS forwards to its upstream resolver`;
}

/** Starts the outside server (unless --external-target is given), the client, and the Service. */
export async function setUpExternalName(ctx: SuiteContext): Promise<ExternalNameFixtures> {
  const given = parseExternalTarget(ctx.settings.externalTarget);
  const unavailable = noTargetReason(ctx.settings.externalTarget, await outsideHostUnavailable());
  const [client, outside] = await Promise.all([
    startPod(ctx, podSpec(ctx, { name: 'client', containers: [netshootContainer(ctx)] })),
    given === undefined && unavailable === undefined
      ? startOutsideHost(ctx, outsideRole, ['/usr/local/bin/knc-http-echo', '80'])
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
  if (given !== undefined) {
    target = {
      ...given,
      source: `--external-target ${ctx.settings.externalTarget ?? ''}`,
      answersAs: undefined,
    };
  } else if (outside === undefined) {
    target = {
      name: `${outsideRole}.invalid`,
      port: 80,
      source: `a name that never resolves (${unavailable ?? 'no target'})`,
      answersAs: undefined,
    };
  } else {
    const hostname = outsideHostname?.stdout.trim() ?? '';
    if (hostname === '') throw new Error(`cannot read the host name of ${outside.name}`);
    target = {
      name: outside.name,
      port: 80,
      source: `the outside container ${outside.name} (${outside.ip} on Docker network ${ctx.settings.nodesNetwork}, knc-http-echo on :80), named by the nodes' resolver (Docker's embedded DNS), which CoreDNS forwards to`,
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
