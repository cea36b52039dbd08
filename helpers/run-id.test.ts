import { describe, expect, it } from '@jest/globals';
import { newRun, runAnnotations, runLabels, runScopedName } from './run-id.ts';

describe('run identity', () => {
  const run = newRun(new Date('2026-11-23T10:15:00.123Z'), () => Buffer.from([0xab, 0xcd, 0xef]));

  it('has a sortable, label-safe id', () => {
    expect(run.id).toBe('knc-20261123-101500-abcdef');
    expect(run.id).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('labels and annotates every object with the run and its owner', () => {
    expect(runLabels(run)).toEqual({
      'app.kubernetes.io/managed-by': 'kube-netconform',
      'kube-netconform/run': run.id,
    });
    expect(runAnnotations(run)).toEqual({
      'kube-netconform/host': run.host,
      'kube-netconform/pid': String(process.pid),
      'kube-netconform/started-at': '2026-11-23T10:15:00.123Z',
    });
  });

  it('scopes names to the run', () => {
    expect(runScopedName(run, 'knc-clusterip')).toBe('knc-clusterip-abcdef');
  });

  it('two runs started in the same second differ', () => {
    const a = newRun(new Date(0));
    const b = newRun(new Date(0));
    expect(a.id).not.toBe(b.id);
  });
});
