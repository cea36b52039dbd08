// Expected: a NodePort Service that asks for a specific free nodePort inside the node-port range gets
// exactly that port (the API server must honour an explicit request it can satisfy, and rejects it
// with "provided port is already allocated" only when another Service holds it; the check then picks
// another port, a bounded number of times), and the node serves the Service on it: the outside
// client reaches a `web` backend on the first node's InternalIP at that port.
import { ApiException } from '@kubernetes/client-node';
import { classifyCurl, ConnectOutcome } from '../../../helpers/outcomes.ts';
import { poll, PollTimeoutError } from '../../../helpers/poll.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { createService } from '../../framework/workloads.ts';
import { httpURL, nodePortOf, type NodePortFixtures } from '../fixtures.ts';
import { readNodePortRange } from '../node-port-range.ts';
import { needsOutsideHost } from '../../framework/cluster-facts.ts';
import { outsideOf } from '../../framework/outside.ts';

/** Ports tried before giving up when each one turns out to be taken. */
const maxPicks = 5;

function alreadyAllocated(error: unknown): boolean {
  return (
    error instanceof ApiException &&
    error.code === 422 &&
    /already allocated/i.test(JSON.stringify(error.body))
  );
}

export default defineCheck<NodePortFixtures>({
  id: 'nodeport/a-requested-node-port-is-honoured',
  title: 'a NodePort Service that requests a free port in the range gets it and is served on it',
  skipUnless: needsOutsideHost,
  assess: async (ctx, f, evidence) => {
    const outside = outsideOf(f.outside);
    const range = await readNodePortRange(ctx);
    evidence.note('node-port range', `${range.low}-${range.high}: ${range.source}`);
    const taken = new Set([f.web, f.pinnedLocal, f.pinnedCluster].map(nodePortOf));
    const tried: string[] = [];
    let requested: number | undefined;
    let allocated: number | undefined;
    for (let pick = 1; pick <= maxPicks && requested === undefined; pick += 1) {
      let port: number;
      do port = range.low + Math.floor(Math.random() * (range.high - range.low + 1));
      while (taken.has(port));
      taken.add(port);
      try {
        const service = await createService(ctx, {
          metadata: { name: 'requested' },
          spec: {
            type: 'NodePort',
            selector: { app: 'web' },
            ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP', nodePort: port }],
          },
        });
        requested = port;
        allocated = nodePortOf(service);
        tried.push(`${port}: created, spec.ports[0].nodePort=${allocated}`);
      } catch (error) {
        if (!alreadyAllocated(error)) throw error;
        tried.push(`${port}: already allocated to another Service, picking another`);
      }
    }
    evidence.note('requested node ports', tried.join('\n'));
    if (requested === undefined) {
      throw new CheckFailure(
        `expected one of ${maxPicks} random ports in ${range.low}-${range.high} to be free; every one was already allocated`,
        evidence,
      );
    }
    if (allocated !== requested) {
      throw new CheckFailure(
        `Service requested: expected nodePort ${requested} (as requested), observed ${allocated ?? 'none'}`,
        evidence,
      );
    }
    const node = f.nodes[0];
    if (node === undefined) throw new Error('no node');
    const url = httpURL(node.internalIP, requested);
    const route = `outside ${outside.ip} → ${node.name} ${node.internalIP}:${requested}`;
    let attempt = 0;
    let previous: { attempt: number; summary: string } | undefined;
    try {
      await poll({
        what: `${route} reaching a web backend`,
        deadline: 'proxyRulesConverge',
        intervalMs: 1000,
        attempt: async () => {
          attempt += 1;
          const result = await outside.exec([
            'curl',
            '-sS',
            '--connect-timeout',
            '1',
            '--max-time',
            '3',
            url,
          ]);
          const outcome = classifyCurl(result);
          const backend = /^This is (\S+)/m.exec(result.stdout)?.[1];
          const summary = `${outcome}, answered by ${backend ?? 'nobody'}`;
          // Each attempt is recorded: in full when it saw something new, else as one line.
          if (previous?.summary === summary) {
            evidence.note(
              `${route} (attempt ${attempt})`,
              `exit ${result.exitCode ?? 'none'}: ${summary}, as in attempt ${previous.attempt}`,
            );
          } else {
            evidence.probe(`${route} (attempt ${attempt}): ${summary}`, result);
            previous = { attempt, summary };
          }
          const done = outcome === ConnectOutcome.Reached && f.webPods.includes(backend ?? '');
          return { done, state: outcome, summary };
        },
      });
    } catch (error) {
      if (!(error instanceof PollTimeoutError)) throw error;
      throw new CheckFailure(
        `${route}: expected Reached (a web backend answers on the requested nodePort), observed ${error.lastState} until the "proxyRulesConverge" deadline`,
        evidence,
      );
    }
  },
});
