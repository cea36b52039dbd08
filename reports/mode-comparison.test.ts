import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  behaviourOf,
  compareModes,
  renderModeComparisonHtml,
  renderModeComparisonMarkdown,
} from './mode-comparison.ts';
import { readObservations, recordObservation } from './observations.ts';
import type { CheckSummary, Summary } from './summary.ts';

const check = (id: string, rest: Partial<CheckSummary>): CheckSummary => ({
  id,
  area: id.split('/')[0] ?? '',
  title: `title of ${id}`,
  status: 'passed',
  durationMs: 1,
  ...rest,
});
const summary = (checks: CheckSummary[]): Summary => ({
  totals: { passed: 0, failed: 0, skipped: 0, notRun: 0, total: checks.length },
  checks,
  suiteErrors: [],
  environment: undefined,
});

describe('compareModes', () => {
  const table = compareModes([
    {
      mode: 'iptables',
      summary: summary([
        check('kube-proxy/ping', { observed: 'NoReply' }),
        check('kube-proxy/ipvs-rules', { status: 'skipped', reason: 'not ipvs' }),
        check('dns/plain', {}),
      ]),
    },
    {
      mode: 'ipvs',
      summary: summary([
        check('kube-proxy/ping', { observed: 'EchoReply' }),
        check('kube-proxy/ipvs-rules', { observed: 'rr, 3 real servers' }),
      ]),
    },
    {
      mode: 'nftables',
      summary: summary([check('kube-proxy/ping', { status: 'failed', reason: 'boom' })]),
    },
  ]);

  it('has one column per run and one row per check observed anywhere', () => {
    expect(table.modes).toEqual(['iptables', 'ipvs', 'nftables']);
    expect(table.rows.map((r) => r.id)).toEqual(['kube-proxy/ping', 'kube-proxy/ipvs-rules']);
  });

  it('says why a cell has no observation', () => {
    expect(table.rows[0]?.cells).toEqual(['NoReply', 'EchoReply', 'failed: boom']);
    expect(table.rows[1]?.cells).toEqual(['skipped (not ipvs)', 'rr, 3 real servers', 'not run']);
  });

  it('marks rows whose observed values differ', () => {
    expect(table.rows.map((r) => r.differs)).toEqual([true, false]);
  });

  it('compares behaviour, not detail', () => {
    const rows = compareModes([
      {
        mode: 'iptables',
        summary: summary([check('s', { observed: 'random: 105/94/101 of 300' })]),
      },
      {
        mode: 'nftables',
        summary: summary([check('s', { observed: 'random: 98/113/89 of 300' })]),
      },
      { mode: 'ipvs', summary: summary([check('t', { observed: 'round robin: 100/100/100' })]) },
    ]).rows;
    expect(rows.map((r) => [r.id, r.differs])).toEqual([
      ['s', false],
      ['t', false],
    ]);
    expect(behaviourOf('NoReply (Packet filtered from 172.18.0.1)')).toBe('NoReply');
  });

  it('renders Markdown and escaped HTML', () => {
    expect(renderModeComparisonMarkdown(table).split('\n')[0]).toBe(
      '| check | iptables | ipvs | nftables |',
    );
    const html = renderModeComparisonHtml(
      compareModes([{ mode: 'a<b', summary: summary([check('x/y', { observed: '<script>' })]) }]),
    );
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });
});

describe('observations', () => {
  it('are written per check and read back by id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'knc-obs-'));
    recordObservation('kube-proxy/ping', 'EchoReply', dir);
    recordObservation('clusterip/spread', 'round robin: 10/10/10 of 30', dir);
    expect(readObservations(dir)).toEqual(
      new Map([
        ['clusterip/spread', 'round robin: 10/10/10 of 30'],
        ['kube-proxy/ping', 'EchoReply'],
      ]),
    );
    expect(readObservations(join(dir, 'none')).size).toBe(0);
  });
});
