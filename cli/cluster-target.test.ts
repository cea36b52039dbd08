import { describe, expect, it } from '@jest/globals';
import { clusterTarget, type TargetFlags } from './cluster-target.ts';
import { UsageError } from './usage-error.ts';

const none: TargetFlags = {
  kubeconfig: undefined,
  context: undefined,
  profile: undefined,
  kindFlags: [],
};

describe('clusterTarget: which cluster a run tests', () => {
  it.each([
    ['nothing names a cluster', none, {}, { kind: 'kind', profile: 'iptables' }],
    [
      'an empty KUBECONFIG names none',
      none,
      { KUBECONFIG: '' },
      { kind: 'kind', profile: 'iptables' },
    ],
    ['a set KUBECONFIG', none, { KUBECONFIG: '/k/a:/k/b' }, { kind: 'existing', source: {} }],
    [
      '--kubeconfig',
      { ...none, kubeconfig: '/k/c' },
      {},
      { kind: 'existing', source: { kubeconfig: '/k/c' } },
    ],
    [
      '--context alone',
      { ...none, context: 'prod' },
      {},
      { kind: 'existing', source: { context: 'prod' } },
    ],
    [
      '--profile, even with KUBECONFIG set',
      { ...none, profile: 'nftables' },
      { KUBECONFIG: '/k/a' },
      { kind: 'kind', profile: 'nftables' },
    ],
    [
      '--reuse, even with KUBECONFIG set',
      { ...none, kindFlags: ['reuse'] },
      { KUBECONFIG: '/k/a' },
      { kind: 'kind', profile: 'iptables' },
    ],
  ] as const)('%s', (_, flags, env, expected) => {
    expect(clusterTarget(flags, env)).toEqual(expected);
  });

  it('a flag of kind clusters with --kubeconfig/--context is a usage error naming the flags', () => {
    expect(() => clusterTarget({ ...none, kubeconfig: '/k', profile: 'iptables' }, {})).toThrow(
      new UsageError(
        '--profile is a flag of the kind cluster a run creates, and cannot be combined with --kubeconfig/--context',
        'use one or the other',
      ),
    );
    expect(() =>
      clusterTarget({ ...none, context: 'prod', kindFlags: ['reuse', 'offline'] }, {}),
    ).toThrow(/^--reuse, --offline are flags of the kind cluster/);
  });

  it('an unknown profile lists the profiles', () => {
    expect(() => clusterTarget({ ...none, profile: 'ebpf' }, {})).toThrow('unknown profile "ebpf"');
  });
});
