// Expected: the kubelet writes a pod's /etc/hosts with a line mapping the pod's IP to its own name
// (its hostname), and one line per `hostAliases` entry mapping that IP to exactly the names the
// entry lists. Programs that look up their own host name, or names the pod spec pins, resolve them
// from this file without asking the cluster DNS. The kubelet alone writes this file, so the
// self-test has no realistic break for it.
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { netshootContainer, podSpec, startPod } from '../../framework/workloads.ts';
import type { DnsFixtures } from '../fixtures.ts';

const pod = 'host-aliases';
const container = 'netshoot';
// A documentation address (RFC 5737): written into the file only, never contacted.
const alias = { ip: '192.0.2.10', hostnames: ['alias-one.example', 'alias-two'] };

export default defineCheck<DnsFixtures>({
  id: 'dns/a-pods-etc-hosts-names-the-pod-and-its-host-aliases',
  title: "a pod's /etc/hosts maps its IP to its own name and each hostAliases IP to its names",
  assess: async (ctx, _f, evidence) => {
    const started = await startPod(
      ctx,
      podSpec(ctx, {
        name: pod,
        containers: [netshootContainer(ctx, container)],
        extra: { hostAliases: [alias] },
      }),
    );
    const result = evidence.probe(
      `/etc/hosts of pod ${pod}`,
      await ctx.exec(pod, container, ['cat', '/etc/hosts']),
    );
    if (result.exitCode !== 0) {
      throw new CheckFailure(
        `expected to read /etc/hosts of pod ${pod}, observed exit code ${String(result.exitCode)}`,
        evidence,
      );
    }
    const names = new Map<string, string[]>();
    for (const raw of result.stdout.split('\n')) {
      const [ip, ...hostnames] = raw.replace(/#.*$/, '').trim().split(/\s+/);
      if (ip !== undefined && ip !== '') names.set(ip, [...(names.get(ip) ?? []), ...hostnames]);
    }
    const podIP = started.status?.podIP ?? '';
    const rows = [
      { ip: podIP, expected: [pod], because: 'the pod IP and its own name' },
      { ip: alias.ip, expected: alias.hostnames, because: 'its hostAliases entry' },
    ].map((r) => ({ ...r, observed: names.get(r.ip) ?? [] }));
    const wrong = rows.filter((r) => !r.expected.every((n) => r.observed.includes(n)));
    if (wrong.length > 0) {
      throw new CheckFailure(
        wrong
          .map(
            (r) =>
              `/etc/hosts of ${pod}: expected ${r.ip} to name ${r.expected.join(' ')} (${r.because}), observed ${r.observed.length === 0 ? '(no line)' : r.observed.join(' ')}`,
          )
          .join('\n'),
        evidence,
      );
    }
  },
});
