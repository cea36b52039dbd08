/**
 * Reads kube-proxy's nftables mode out of `nft -j list table ip kube-proxy`: the `cluster-ips` set
 * (every active ClusterIP), the `service-ips` verdict map ("ip . proto . port" → the Service port's
 * chain), that chain's `numgen random mod n vmap { i : goto endpoint-chain }` spreading connections
 * over n endpoints, and each endpoint chain's `dnat to ip:port`.
 */
import { endpointRows, type ComparisonRow } from '../../framework/comparison.ts';

/** A map or set element as nft prints it: a value, or {elem: {val, comment}} when commented. */
type NftValue = unknown;

/** The parts of the JSON ruleset these checks read. */
export interface NftTable {
  /** Elements of each named set, as strings. */
  readonly sets: ReadonlyMap<string, readonly string[]>;
  /** Elements of each verdict map: key (concatenations joined with " . ") → target chain. */
  readonly maps: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Each chain's rules, as their `expr` arrays. */
  readonly rules: ReadonlyMap<string, readonly (readonly Record<string, unknown>[])[]>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Renders a set/map key: a string or number as is, a concatenation joined with " . ". */
export function nftKey(value: NftValue): string {
  if (isRecord(value) && isRecord(value.elem)) return nftKey(value.elem.val);
  if (isRecord(value) && Array.isArray(value.concat)) return value.concat.map(nftKey).join(' . ');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The chain a verdict (goto/jump) points to. */
function verdictTarget(verdict: unknown): string | undefined {
  if (!isRecord(verdict)) return undefined;
  for (const kind of ['goto', 'jump']) {
    const v = verdict[kind];
    if (isRecord(v) && typeof v.target === 'string') return v.target;
  }
  return undefined;
}

/** Parses the JSON output of `nft -j list table …`; throws when it is not nft's JSON. */
export function parseNftJson(text: string): NftTable {
  const doc = JSON.parse(text) as unknown;
  if (!isRecord(doc) || !Array.isArray(doc.nftables)) {
    throw new Error('not nft JSON output (no "nftables" array)');
  }
  const sets = new Map<string, string[]>();
  const maps = new Map<string, Map<string, string>>();
  const rules = new Map<string, Record<string, unknown>[][]>();
  for (const entry of doc.nftables as unknown[]) {
    if (!isRecord(entry)) continue;
    const set = entry.set;
    if (isRecord(set) && typeof set.name === 'string') {
      const elems = Array.isArray(set.elem) ? (set.elem as unknown[]) : [];
      sets.set(set.name, elems.map(nftKey));
    }
    const map = entry.map;
    if (isRecord(map) && typeof map.name === 'string') {
      const elems = Array.isArray(map.elem) ? (map.elem as unknown[]) : [];
      const m = new Map<string, string>();
      for (const e of elems) {
        if (!Array.isArray(e)) continue;
        const target = verdictTarget(e[1]);
        if (target !== undefined) m.set(nftKey(e[0]), target);
      }
      maps.set(map.name, m);
    }
    const rule = entry.rule;
    if (isRecord(rule) && typeof rule.chain === 'string' && Array.isArray(rule.expr)) {
      const list = rules.get(rule.chain) ?? [];
      list.push((rule.expr as unknown[]).filter(isRecord));
      rules.set(rule.chain, list);
    }
  }
  return { sets, maps, rules };
}

/** What the table holds for one Service port. */
export interface NftServiceView {
  /** The ClusterIP is an element of the cluster-ips set. */
  readonly inClusterIPs: boolean;
  /** The chain service-ips maps "ip . proto . port" to, if any. */
  readonly serviceChain: string | undefined;
  /** The `mod` of the chain's numgen vmap, if it has one. */
  readonly numgenMod: number | undefined;
  /** Per vmap entry, in index order: the endpoint chain's DNAT destination ("ip:port"). */
  readonly endpoints: readonly string[];
}

function numgenVmap(
  exprs: readonly Record<string, unknown>[],
): { mod: number; targets: string[] } | undefined {
  for (const e of exprs) {
    const vmap = e.vmap;
    if (!isRecord(vmap) || !isRecord(vmap.key) || !isRecord(vmap.key.numgen)) continue;
    const mod = Number(vmap.key.numgen.mod);
    const data = isRecord(vmap.data) && Array.isArray(vmap.data.set) ? vmap.data.set : [];
    const entries = (data as unknown[])
      .filter((d): d is unknown[] => Array.isArray(d))
      .map((d) => ({ index: Number(d[0]), target: verdictTarget(d[1]) }))
      .sort((a, b) => a.index - b.index);
    return { mod, targets: entries.map((x) => x.target ?? '(no target)') };
  }
  return undefined;
}

function dnatDestination(table: NftTable, chain: string): string | undefined {
  for (const exprs of table.rules.get(chain) ?? []) {
    for (const e of exprs) {
      const dnat = e.dnat;
      if (isRecord(dnat) && dnat.addr !== undefined) {
        return dnat.port === undefined
          ? nftKey(dnat.addr)
          : `${nftKey(dnat.addr)}:${nftKey(dnat.port)}`;
      }
    }
  }
  return undefined;
}

/** Finds a Service port (ClusterIP, "tcp"/"udp", port) in a parsed kube-proxy table. */
export function nftServiceView(
  table: NftTable,
  clusterIP: string,
  protocol: string,
  port: number,
): NftServiceView {
  const inClusterIPs = (table.sets.get('cluster-ips') ?? []).includes(clusterIP);
  const serviceChain = table.maps
    .get('service-ips')
    ?.get(`${clusterIP} . ${protocol.toLowerCase()} . ${port}`);
  if (serviceChain === undefined) {
    return { inClusterIPs, serviceChain, numgenMod: undefined, endpoints: [] };
  }
  let vmap: { mod: number; targets: string[] } | undefined;
  for (const exprs of table.rules.get(serviceChain) ?? []) vmap ??= numgenVmap(exprs);
  return {
    inClusterIPs,
    serviceChain,
    numgenMod: vmap?.mod,
    endpoints: (vmap?.targets ?? []).map((t) => dnatDestination(table, t) ?? `(${t} without dnat)`),
  };
}

/**
 * Compares a Service port's view with its ready endpoints ("ip:port"): the ClusterIP is in
 * cluster-ips, service-ips maps the port to a chain, its numgen spreads over n = the number of
 * ready endpoints, and each endpoint has exactly one vmap entry.
 */
export function compareNftService(
  view: NftServiceView,
  clusterIP: string,
  protocol: string,
  port: number,
  expectedEndpoints: readonly string[],
): ComparisonRow[] {
  return [
    {
      item: `cluster-ips set holds ${clusterIP}`,
      expected: 'yes',
      observed: view.inClusterIPs ? 'yes' : 'no',
    },
    {
      item: `service-ips maps ${clusterIP} . ${protocol.toLowerCase()} . ${port}`,
      expected: 'to a service chain',
      observed: view.serviceChain === undefined ? 'no element' : 'to a service chain',
    },
    {
      item: 'numgen random mod (endpoints spread over)',
      expected: String(expectedEndpoints.length),
      observed: view.numgenMod === undefined ? 'no numgen vmap' : String(view.numgenMod),
    },
    ...endpointRows(expectedEndpoints, view.endpoints, 'vmap entry'),
  ];
}
