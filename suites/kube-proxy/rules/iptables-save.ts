/**
 * Reads kube-proxy's iptables mode out of `iptables-save -t nat`: the Service port's KUBE-SVC chain
 * (found through the KUBE-SERVICES rule commented "<ns>/<svc>:<port> cluster IP"), its jumps to
 * KUBE-SEP chains in order with their `--probability`, and each KUBE-SEP chain's DNAT destination.
 *
 * kube-proxy spreads new connections with a chain of random matches: with n endpoints the first
 * jump matches with probability 1/n, the next with 1/(n-1) of what is left, and the last has no
 * match at all, which gives every endpoint 1/n of the connections.
 */
import { endpointRows, type ComparisonRow } from '../../framework/comparison.ts';

/** One `-A` line of a dump, split into arguments (quoted comments kept whole). */
export interface IptablesRule {
  readonly chain: string;
  readonly args: readonly string[];
  readonly line: string;
}

/** The rules of one table of a dump, by chain, in order. */
export type IptablesTable = ReadonlyMap<string, readonly IptablesRule[]>;

/** Splits an iptables-save rule line into arguments; double-quoted parts are one argument. */
export function splitRuleLine(line: string): string[] {
  const args: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(pattern)) {
    args.push(m[1] === undefined ? (m[2] ?? '') : m[1].replace(/\\(.)/g, '$1'));
  }
  return args;
}

/** Parses the `*<table>` section of an iptables-save dump (default nat). */
export function parseIptablesSave(text: string, table = 'nat'): IptablesTable {
  const chains = new Map<string, IptablesRule[]>();
  let inTable = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) {
      inTable = line === `*${table}`;
      continue;
    }
    if (!inTable) continue;
    if (line === 'COMMIT') {
      inTable = false;
      continue;
    }
    if (line.startsWith(':')) {
      const name = line.slice(1).split(/\s+/)[0] ?? '';
      if (!chains.has(name)) chains.set(name, []);
      continue;
    }
    if (!line.startsWith('-A ')) continue;
    const args = splitRuleLine(line);
    const chain = args[1] ?? '';
    const rules = chains.get(chain) ?? [];
    rules.push({ chain, args: args.slice(2), line });
    chains.set(chain, rules);
  }
  return chains;
}

/** The value after `flag` in a rule's arguments. */
export function argAfter(rule: IptablesRule, flag: string): string | undefined {
  const i = rule.args.indexOf(flag);
  return i < 0 ? undefined : rule.args[i + 1];
}

/** The name kube-proxy gives a Service port in its comments: "ns/svc:port" ("ns/svc" when unnamed). */
export function servicePortName(namespace: string, service: string, portName: string): string {
  return portName === '' ? `${namespace}/${service}` : `${namespace}/${service}:${portName}`;
}

/** One jump of a KUBE-SVC chain to an endpoint chain. */
export interface EndpointJump {
  readonly sepChain: string;
  /** The `--probability` of the jump, or undefined when it has none (the last one). */
  readonly probability: number | undefined;
  /** The DNAT destination of the KUBE-SEP chain ("ip:port"), or undefined when it has none. */
  readonly destination: string | undefined;
}

/** What the dump holds for one Service port. */
export interface IptablesServiceView {
  /** The KUBE-SVC chain the KUBE-SERVICES rule for the ClusterIP jumps to. */
  readonly serviceChain: string | undefined;
  readonly jumps: readonly EndpointJump[];
}

/** Finds the Service port's KUBE-SVC chain and its endpoint jumps in a parsed nat table. */
export function iptablesServiceView(table: IptablesTable, portName: string): IptablesServiceView {
  const comment = `${portName} cluster IP`;
  const entry = (table.get('KUBE-SERVICES') ?? []).find(
    (r) => argAfter(r, '--comment') === comment && argAfter(r, '-j')?.startsWith('KUBE-SVC-'),
  );
  const serviceChain = entry === undefined ? undefined : argAfter(entry, '-j');
  if (serviceChain === undefined) return { serviceChain, jumps: [] };
  const jumps = (table.get(serviceChain) ?? [])
    .filter((r) => argAfter(r, '-j')?.startsWith('KUBE-SEP-'))
    .map((r) => {
      const sepChain = argAfter(r, '-j') ?? '';
      const p = argAfter(r, '--probability');
      const dnat = (table.get(sepChain) ?? []).find((s) => argAfter(s, '-j') === 'DNAT');
      return {
        sepChain,
        probability: p === undefined ? undefined : Number(p),
        destination: dnat === undefined ? undefined : argAfter(dnat, '--to-destination'),
      };
    });
  return { serviceChain, jumps };
}

/** iptables keeps a probability to about 1e-9 (a 31-bit fraction); anything closer is the same. */
const probabilityTolerance = 1e-6;

function describeProbability(p: number | undefined): string {
  return p === undefined ? 'no probability (last)' : `probability ${p.toFixed(5)}`;
}

/**
 * Compares a Service port's chain with its ready endpoints ("ip:port"): the chain exists; rule i
 * (of n) has probability 1/(n-i) and the last none; each endpoint has exactly one rule.
 */
export function compareIptablesService(
  view: IptablesServiceView,
  expectedEndpoints: readonly string[],
): ComparisonRow[] {
  const n = expectedEndpoints.length;
  const rows: ComparisonRow[] = [
    {
      item: 'KUBE-SERVICES → KUBE-SVC chain',
      expected: 'present',
      observed: view.serviceChain === undefined ? 'missing' : 'present',
    },
  ];
  const positions = Math.max(n, view.jumps.length);
  for (let i = 0; i < positions; i += 1) {
    const want = i >= n ? 'none' : i === n - 1 ? undefined : 1 / (n - i);
    const jump = view.jumps[i];
    let observed: string;
    if (jump === undefined) observed = 'none';
    else if (want !== 'none' && matchesProbability(jump.probability, want))
      observed = describeProbability(want);
    else observed = describeProbability(jump.probability);
    rows.push({
      item: `rule ${i + 1} of the KUBE-SVC chain`,
      expected: want === 'none' ? 'none' : describeProbability(want),
      observed,
    });
  }
  rows.push(
    ...endpointRows(
      expectedEndpoints,
      view.jumps.map((j) => j.destination ?? `(${j.sepChain} without DNAT)`),
      'rule',
    ),
  );
  return rows;
}

function matchesProbability(observed: number | undefined, expected: number | undefined): boolean {
  if (observed === undefined || expected === undefined) return observed === expected;
  return Math.abs(observed - expected) < probabilityTolerance;
}
