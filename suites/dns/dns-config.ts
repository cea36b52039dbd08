/**
 * Parsers for the cluster's DNS configuration as the suite reads it: a pod's /etc/resolv.conf, the
 * kubelet configuration (clusterDomain) and CoreDNS's Corefile (the kubernetes plugin's zones and
 * its `pods` mode). Pure functions, tested beside this file.
 */

/** The parts of resolv.conf a pod's DNS policy sets. */
export interface ResolvConf {
  readonly nameservers: readonly string[];
  readonly search: readonly string[];
  /** Options as written ("ndots:5", "edns0"), in order. */
  readonly options: readonly string[];
}

/** Parses resolv.conf; a later `search`/`domain` line replaces an earlier one, as in glibc. */
export function parseResolvConf(text: string): ResolvConf {
  const nameservers: string[] = [];
  let search: string[] = [];
  const options: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === 'nameserver' && args[0] !== undefined) nameservers.push(args[0]);
    else if (keyword === 'search' || keyword === 'domain') search = args;
    else if (keyword === 'options') options.push(...args);
  }
  return { nameservers, search, options };
}

/** The value of the `ndots:` option, or undefined when absent. */
export function ndots(conf: ResolvConf): number | undefined {
  const option = conf.options.findLast((o) => o.startsWith('ndots:'));
  return option === undefined ? undefined : Number(option.slice('ndots:'.length));
}

/** `clusterDomain` of a KubeletConfiguration (the YAML kubeadm stores in kubelet-config). */
export function clusterDomainFromKubeletConfig(yaml: string): string | undefined {
  const value = /^clusterDomain:[ \t]*["']?([^"'\s]*)["']?[ \t]*$/m.exec(yaml)?.[1];
  return value === undefined || value === '' ? undefined : value.replace(/\.$/, '');
}

/** The cluster domain implied by a pod's search list: its first entry is `<ns>.svc.<domain>`. */
export function clusterDomainFromSearch(
  search: readonly string[],
  namespace: string,
): string | undefined {
  const prefix = `${namespace}.svc.`;
  const first = search[0];
  return first?.startsWith(prefix) === true ? first.slice(prefix.length) : undefined;
}

/** How CoreDNS's kubernetes plugin answers `<a-b-c-d>.<ns>.pod.<domain>`. */
export type PodsMode = 'insecure' | 'verified' | 'disabled';

/** The kubernetes plugin's configuration in a Corefile, or undefined when it has none. */
export interface KubernetesPlugin {
  /** Zones the plugin is authoritative for, without trailing dots ("cluster.local", "in-addr.arpa"). */
  readonly zones: readonly string[];
  /** The `pods` option; `disabled` when absent (CoreDNS's default). */
  readonly pods: PodsMode;
}

/**
 * Finds the first `kubernetes` directive of a Corefile and reads its zones and `pods` option.
 * Zones are normalized to lowercase without trailing dots and without a `:port` suffix.
 */
export function parseCorefileKubernetes(corefile: string): KubernetesPlugin | undefined {
  const lines = corefile.split('\n').map((l) => l.replace(/#.*$/, '').trim());
  const start = lines.findIndex((l) => /^kubernetes(\s|\{|$)/.test(l));
  if (start < 0) return undefined;
  const header = lines[start] ?? '';
  const zones = header
    .replace(/\{.*$/, '')
    .split(/\s+/)
    .slice(1)
    .filter((z) => z !== '')
    .map((z) => z.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, ''));
  let pods: PodsMode = 'disabled';
  if (header.endsWith('{')) {
    for (const line of lines.slice(start + 1)) {
      if (line.startsWith('}')) break;
      const m = /^pods\s+(insecure|verified|disabled)$/.exec(line);
      if (m?.[1] !== undefined) pods = m[1] as PodsMode;
    }
  }
  return { zones, pods };
}

/**
 * True when `zones` (as parsed above) cover `name`. An empty list (the plugin then takes its server
 * block's zones) and the root zone cover every name.
 */
export function zonesCover(zones: readonly string[], name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (zones.length === 0) return true;
  return zones.some((z) => z === '' || n === z || n.endsWith(`.${z}`));
}
