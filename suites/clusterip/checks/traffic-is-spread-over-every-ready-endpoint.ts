// Expected: 600 requests (60 with IPVS round robin) from the client to web's ClusterIP, each on a
// new connection (one curl process per request, all in one exec), all succeed; every ready
// endpoint of the EndpointSlices answers at least once and nothing else answers; and the spread
// matches the proxy's policy:
//
// - iptables and nftables modes pick an endpoint at random with equal probability per connection,
//   so the counts must pass a chi-square goodness-of-fit test against uniform at alpha = 5e-7
//   (uniformSpreadTest in helpers/spread.ts). Over web's 3 endpoints a correct proxy fails it with
//   probability 4.9e-7 (the false-alarm rate, every multinomial outcome summed), and a skew of
//   0.5/0.25/0.25 (150/75/75 of 300) is caught with probability 0.9992 (the power);
// - IPVS with its default round-robin scheduler hands connections out in turn, so every count must
//   be within 2 of N/k: no chance involved, and 60 requests show a 2:1:1 weighting as 30/15/15
//   against 20 ± 2 (on the IPVS lane's emulated node a request takes about a second);
// - other IPVS schedulers, or a Service proxy other than kube-proxy: no policy is assumed and only
//   coverage (every endpoint answers) is checked; the evidence says so.
//
// The proxy's rules may lag the slices by a sync, so a warm-up sends rounds of requests first,
// until one round is answered by every endpoint. A round sent once the rules are synced is a fair
// sample, so a correct proxy times the warm-up out by chance at most as often as one round leaves
// an endpoint out: each round has the fewest requests that keep that below 1e-6 − alpha (39 for 3
// endpoints: 4.1e-7), and the whole check fails a correct proxy with probability below 1e-6. In
// the 600 a uniform spread leaves an endpoint at 0 with probability 3·(2/3)^600 ≈ 7e-106, so a 0
// there always means an endpoint that gets no traffic.
import {
  chiSquareGoodnessOfFit,
  coverageRequests,
  falseAlarmRate,
  histogram,
  renderSpread,
  uniformSpreadTest,
  type SpreadRow,
} from '../../../helpers/spread.ts';
import { defineCheck } from '../../framework/check.ts';
import { CheckFailure } from '../../framework/evidence.ts';
import { renderSliceEndpoints, sliceEndpoints } from '../backends.ts';
import type { ClusterIPFixtures } from '../fixtures.ts';
import { pollProbe } from '../poll-probe.ts';
import { outcomeCounts, runLoop, serviceURL } from '../request-loop.ts';

/** The chi-square test's significance level (its requests: uniformSpreadTest.requests). */
const { alpha } = uniformSpreadTest;
/** Round-robin: requests in the measured spread, and how far from N/k a count may be. */
const roundRobinRequests = 60;
const roundRobinTolerance = 2;

export default defineCheck<ClusterIPFixtures>({
  id: 'clusterip/traffic-is-spread-over-every-ready-endpoint',
  title:
    "traffic to a ClusterIP reaches every ready endpoint, spread as the proxy's policy says (chi-square against uniform for random selection)",
  assess: async (ctx, f, evidence) => {
    const client = f.client.metadata?.name ?? '';
    const url = serviceURL(f.web.ip);
    const endpoints = (await sliceEndpoints(ctx, f.web.name)).filter((e) => e.ready);
    evidence.note(`ready endpoints of ${f.web.name}`, renderSliceEndpoints(endpoints));
    const expectedKeys = [...new Set(endpoints.map((e) => e.pod ?? e.address))].sort();
    if (expectedKeys.length < 2) {
      throw new CheckFailure(
        `Service ${f.web.name}: expected ${f.web.replicas} ready endpoints to spread over, observed ${expectedKeys.length}`,
        evidence,
      );
    }

    // Warm-up: the proxy's rules may lag the slices by a sync; wait until each endpoint answered.
    const warmUpRequests = coverageRequests(expectedKeys.length, 1, falseAlarmRate - alpha);
    await pollProbe({
      evidence,
      title: `warm-up: ${warmUpRequests} requests to ${url}`,
      what: `every ready endpoint of ${f.web.name} answering on ${url}`,
      deadline: 'proxyRulesConverge',
      round: async () => {
        const loop = await runLoop(ctx, client, { urls: [url], rounds: warmUpRequests });
        const seen = histogram(
          loop.requests.map((r) => r.backend ?? `(${r.outcome})`),
          expectedKeys,
        );
        return {
          probe: loop.probe,
          done: expectedKeys.every((k) => (seen.get(k) ?? 0) > 0),
          state: seen,
          observed: [...seen].map(([k, v]) => `${k}=${v}`).join(' '),
        };
      },
      failure: (last, deadline) =>
        `${url}: expected every ready endpoint (${expectedKeys.join(', ')}) to answer within "${deadline}", observed ${last}`,
    });

    const policy = f.policy;
    const random = policy.proxyMode === 'iptables' || policy.proxyMode === 'nftables';
    const roundRobin = policy.proxyMode === 'ipvs' && policy.ipvsScheduler === 'rr';
    const requests = roundRobin ? roundRobinRequests : uniformSpreadTest.requests;
    const loop = await runLoop(ctx, client, { urls: [url], rounds: requests });
    evidence.probe(`client → ${url}: ${requests} requests, one connection each`, loop.probe);
    const failed = loop.requests.filter((r) => r.backend === undefined);
    if (loop.requests.length !== requests || failed.length > 0) {
      throw new CheckFailure(
        `${url}: expected ${requests} answers from backends, observed ${loop.requests.length} requests (${outcomeCounts(loop.requests)}; ${failed.length} without a backend's answer)`,
        evidence,
      );
    }

    const counts = histogram(
      loop.requests.map((r) => r.backend ?? ''),
      expectedKeys,
    );
    const rows: SpreadRow[] = [...counts].map(([key, observed]) => ({
      key,
      observed,
      expected: expectedKeys.includes(key) ? requests / expectedKeys.length : 0,
    }));
    const table = renderSpread(rows);
    const unexpected = rows.filter((r) => r.expected === 0);
    const starved = rows.filter((r) => r.expected > 0 && r.observed === 0);
    if (unexpected.length > 0 || starved.length > 0) {
      evidence.note('spread', table);
      throw new CheckFailure(
        `${url}: expected all ${expectedKeys.length} ready endpoints to answer and nothing else, observed ` +
          [
            ...starved.map((r) => `${r.key} got 0 of ${requests}`),
            ...unexpected.map((r) => `${r.key} (not a ready endpoint) got ${r.observed}`),
          ].join(', ') +
          `\n${table}`,
        evidence,
      );
    }

    const spread = rows.map((r) => r.observed).join('/');
    if (random) {
      const test = chiSquareGoodnessOfFit(
        rows.map((r) => r.observed),
        alpha,
      );
      const verdict =
        `policy: random, uniform over ${expectedKeys.length} endpoints (${policy.source})\n` +
        `chi-square = ${test.statistic.toFixed(2)}, df = ${test.degreesOfFreedom}, p = ${test.pValue.toPrecision(3)}; ` +
        `reject uniform when p < alpha = ${alpha} (χ² > ${test.criticalValue.toFixed(2)}): ` +
        `a correct proxy fails this by chance about once in ${Math.round(1 / alpha).toLocaleString('en')} runs`;
      evidence.note('spread', `${table}\n\n${verdict}`);
      evidence.observe(`random: ${spread} of ${requests} (χ² p = ${test.pValue.toPrecision(2)})`);
      if (test.rejected) {
        throw new CheckFailure(
          `${url}: expected a uniform random spread over ${expectedKeys.length} endpoints, observed χ² = ${test.statistic.toFixed(2)} > ${test.criticalValue.toFixed(2)} (p = ${test.pValue.toPrecision(3)} < ${alpha})\n${table}`,
          evidence,
        );
      }
    } else if (roundRobin) {
      const off = rows.filter((r) => Math.abs(r.observed - r.expected) > roundRobinTolerance);
      evidence.observe(`round robin: ${spread} of ${requests}`);
      evidence.note(
        'spread',
        `${table}\n\npolicy: IPVS round-robin (${policy.source}); every count within ${roundRobinTolerance} of ${(requests / expectedKeys.length).toFixed(1)}`,
      );
      if (off.length > 0) {
        throw new CheckFailure(
          `${url}: expected round-robin counts within ${roundRobinTolerance} of ${(requests / expectedKeys.length).toFixed(1)}, observed ${off.map((r) => `${r.key}=${r.observed}`).join(', ')}\n${table}`,
          evidence,
        );
      }
    } else {
      evidence.note(
        'spread',
        `${table}\n\npolicy unknown (${policy.source}${policy.ipvsScheduler ? `, scheduler ${policy.ipvsScheduler}` : ''}): only coverage was checked`,
      );
    }
  },
});
