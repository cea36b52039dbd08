// Expected (iptables mode): in the nat table of a node, the KUBE-SERVICES rule for the ClusterIP
// port of Service "backends" jumps to its KUBE-SVC chain, and that chain jumps to one KUBE-SEP
// chain per ready endpoint (DNAT to that endpoint), with `--probability` 1/n, 1/(n-1), … in order
// and none on the last jump, so each of n endpoints gets 1/n of new connections. After the
// Deployment is scaled 3 → 2 the chain is rewritten for the 2 endpoints left (within the
// proxyRulesConverge deadline). Stale, missing or extra jumps, or uneven probabilities, fail.
import { defineCheck } from '../../framework/check.ts';
import type { KubeProxyFixtures } from '../fixtures.ts';
import { skipUnlessMode } from '../modes.ts';
import { expectRulesFollowScaling } from '../rules-follow-scaling.ts';
import {
  compareIptablesService,
  iptablesServiceView,
  parseIptablesSave,
  servicePortName,
} from '../rules/iptables-save.ts';

export default defineCheck<KubeProxyFixtures>({
  id: 'kube-proxy/iptables-service-chain-has-one-endpoint-rule-per-ready-endpoint-with-even-probabilities',
  title:
    'iptables: the KUBE-SVC chain of a Service has one KUBE-SEP jump per ready endpoint with probabilities 1/n … 1, and follows a scale-down',
  skipUnless: skipUnlessMode('iptables'),
  assess: async (ctx, f, evidence) => {
    const ipv6 = (f.backends.service.spec?.clusterIP ?? '').includes(':');
    const portName = servicePortName(ctx.namespace, 'backends', f.backends.portName);
    await expectRulesFollowScaling(
      ctx,
      f,
      {
        name: `${ipv6 ? 'ip6tables-save' : 'iptables-save'} -t nat`,
        command: [ipv6 ? 'ip6tables-save' : 'iptables-save', '-t', 'nat'],
        compare: (dump, ready) =>
          compareIptablesService(
            iptablesServiceView(parseIptablesSave(dump.stdout), portName),
            ready,
          ),
      },
      evidence,
    );
  },
});
