// Expected: the client pod reaches the Service `web` on port 80 by its ClusterIP, by its short name
// `web` (resolved through the pod's DNS search list), by `web.<namespace>` and by its fully
// qualified name `web.<namespace>.svc.<cluster domain>.` (trailing dot: no search list involved),
// and every answer names one of web's pods. The cluster domain is read from the client's
// /etc/resolv.conf (the search entry `<namespace>.svc.<domain>` kubelet writes), not assumed to be
// cluster.local. Each name is requested twice, all in one exec.
import { ConnectOutcome } from '../../../helpers/outcomes.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { podNames, podsOf } from '../backends.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';
import { runLoop, serviceURL } from '../request-loop.ts';

/** Requests per name. */
const rounds = 2;

/** The cluster domain from a resolv.conf search list: the rest of `<namespace>.svc.<domain>`. */
export function clusterDomain(resolvConf: string, namespace: string): string | undefined {
  const search = /^search\s+(.+)$/m.exec(resolvConf)?.[1]?.trim().split(/\s+/) ?? [];
  const prefix = `${namespace}.svc.`;
  return search.find((s) => s.startsWith(prefix))?.slice(prefix.length);
}

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/service-is-reachable-by-ip-short-name-namespaced-name-and-fqdn',
  title:
    'a ClusterIP Service is reachable by IP, short name, <svc>.<ns> and FQDN, answered by a backend pod',
  assess: async (ctx, f, evidence) => {
    const client = f.client.metadata?.name ?? '';
    const resolv = evidence.probe(
      'client /etc/resolv.conf',
      await ctx.exec(client, 'netshoot', ['cat', '/etc/resolv.conf']),
    );
    const domain = clusterDomain(resolv.stdout, ctx.namespace);
    if (domain === undefined) {
      throw new CheckFailure(
        `expected a search entry "${ctx.namespace}.svc.<cluster domain>" in the client's resolv.conf, observed "${/^search.*$/m.exec(resolv.stdout)?.[0] ?? 'no search line'}"`,
        evidence,
      );
    }
    const svc = f.web.name;
    const targets = [
      { by: 'ClusterIP', host: f.web.ip },
      { by: 'short name', host: svc },
      { by: '<svc>.<ns>', host: `${svc}.${ctx.namespace}` },
      { by: 'FQDN', host: `${svc}.${ctx.namespace}.svc.${domain}.` },
    ].map((t) => ({ ...t, url: serviceURL(t.host) }));
    const backends = new Set(podNames(await podsOf(ctx, svc)));
    const loop = await runLoop(ctx, client, { urls: targets.map((t) => t.url), rounds });
    evidence.probe(`client → ${svc}:80 by ${targets.length} names, ${rounds} each`, loop.probe);

    const rows = targets.map((t) => {
      const answers = loop.requests.filter((r) => r.url === t.url);
      const observed = answers.map((r) =>
        r.outcome !== ConnectOutcome.Reached
          ? r.outcome
          : r.backend !== undefined && backends.has(r.backend)
            ? `Reached ${r.backend}`
            : `Reached, not a backend (${r.backend ?? 'no name'})`,
      );
      const ok =
        answers.length === rounds &&
        answers.every((r) => r.backend !== undefined && backends.has(r.backend));
      return { ...t, observed, ok };
    });
    const table = rows
      .map(
        (r) =>
          `${r.ok ? '  ' : '✗ '}${r.by.padEnd(11)} ${r.url.padEnd(60)} expected Reached a backend, observed ${r.observed.join('; ') || 'no request'}`,
      )
      .join('\n');
    evidence.note(
      'expected vs observed per name',
      `backends: ${[...backends].join(', ')}\n${table}`,
    );
    const failed = rows.filter((r) => !r.ok);
    if (failed.length > 0) {
      throw new CheckFailure(
        `client → ${svc}:80: ${failed.length} of ${rows.length} names did not reach a backend of ${svc}:\n${table}`,
        evidence,
      );
    }
  },
});
