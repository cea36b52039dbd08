import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '../clusters/paths.ts';
import {
  checkCatalog,
  closeMatches,
  editDistance,
  readCheckModule,
  resolveSelection,
  type CheckInfo,
} from './checks-catalog.ts';
import { suiteAreas } from './suites.ts';
import { UsageError } from './usage-error.ts';

describe('checkCatalog', () => {
  it('finds every check file once, with its id <area>/<file name> and a title, without a cluster', async () => {
    // No cluster: importing a check module must not need one.
    const catalog = await checkCatalog();
    const files = suiteAreas().flatMap((area) =>
      readdirSync(join(repoRoot, 'suites', area, 'checks'))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `${area}/${f.replace(/\.ts$/, '')}`),
    );
    expect(catalog.map((c) => c.id)).toEqual([...files].sort((a, b) => a.localeCompare(b)));
    expect(new Set(catalog.map((c) => c.id)).size).toBe(catalog.length);
    for (const c of catalog) expect(c.title.length).toBeGreaterThan(10);
  });
});

describe('readCheckModule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'knc-catalog-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const moduleOf = (name: string, source: string): string => {
    const path = join(dir, `${name}.mjs`);
    writeFileSync(path, source);
    return path;
  };

  it('reads id and title of the default export', async () => {
    const path = moduleOf('check', "export default { id: 'a/b', title: 'one', assess() {} };");
    await expect(readCheckModule(path, 'x.ts')).resolves.toEqual({ id: 'a/b', title: 'one' });
  });

  it.each([
    ['no-default', "export const check = { id: 'a/b', title: 't' };"],
    ['no-title', "export default { id: 'a/b' };"],
    ['not-strings', 'export default { id: 1, title: 2 };'],
  ])('names the file when the default export is not a check (%s)', async (name, source) => {
    await expect(readCheckModule(moduleOf(name, source), 'x.ts')).rejects.toThrow(
      /^x\.ts: expected `export default defineCheck/,
    );
  });
});

describe('closeMatches', () => {
  const ids = [
    'dns/named-ports-have-srv-records',
    'dns/a-pod-ip-name-resolves-to-the-pod-ip',
    'clusterip/client-ip-affinity-pins-a-client-to-one-backend',
    'clusterip/a-pod-that-is-not-ready-gets-no-traffic',
  ];
  it.each([
    ['dns/named-port-have-srv-records', ['dns/named-ports-have-srv-records']],
    ['dsn/named-ports-have-srv-records', ['dns/named-ports-have-srv-records']],
    ['dns/named-port-srv', ['dns/named-ports-have-srv-records']],
    ['clusterip/affinity', ['clusterip/client-ip-affinity-pins-a-client-to-one-backend']],
    ['dns/xyzzy', []],
  ])('%s → %j', (input, expected) => {
    expect(closeMatches(input, ids)).toEqual(expected);
  });

  it('editDistance counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('resolveSelection', () => {
  const areas = ['dns', 'nodeport'];
  const catalog: CheckInfo[] = [
    { id: 'dns/a', area: 'dns', title: 'A', file: 'suites/dns/checks/a.ts' },
    { id: 'dns/b', area: 'dns', title: 'B', file: 'suites/dns/checks/b.ts' },
    { id: 'nodeport/c', area: 'nodeport', title: 'C', file: 'suites/nodeport/checks/c.ts' },
  ];
  const noCatalog = (): Promise<CheckInfo[]> => {
    throw new Error('the catalog is not needed for areas');
  };
  const withCatalog = (): Promise<CheckInfo[]> => Promise.resolve(catalog);

  it.each([
    [[], [], { areas: ['dns', 'nodeport'], checks: undefined }],
    [['nodeport'], [], { areas: ['nodeport'], checks: undefined }],
    [[], ['dns'], { areas: ['nodeport'], checks: undefined }],
  ] as const)('areas only: --suites %j --skip %j', async (suites, skip, expected) => {
    await expect(resolveSelection(suites, skip, areas, noCatalog)).resolves.toEqual(expected);
  });

  it.each([
    [['dns/b'], [], { areas: ['dns'], checks: ['dns/b'] }],
    [['dns/b', 'nodeport'], [], { areas: ['dns', 'nodeport'], checks: ['dns/b', 'nodeport/c'] }],
    [[], ['dns/a'], { areas: ['dns', 'nodeport'], checks: ['dns/b', 'nodeport/c'] }],
    [['dns'], ['dns/a'], { areas: ['dns'], checks: ['dns/b'] }],
  ] as const)('with check ids: --suites %j --skip %j', async (suites, skip, expected) => {
    await expect(resolveSelection(suites, skip, areas, withCatalog)).resolves.toEqual(expected);
  });

  it.each([
    [['dsn'], [], 'unknown suite "dsn"', /use one of: dns, nodeport/],
    [['dns/aa'], [], 'unknown check "dns/aa"', /^did you mean dns\/a, dns\/b\? /],
    [['dns/zzzzzz'], [], 'unknown check "dns/zzzzzz"', /the checks of dns are dns\/a, dns\/b/],
    [['dns'], ['dns/a', 'dns/b'], 'no check left to run after --suites/--skip', /dns, nodeport/],
    [['dns'], ['dns'], 'no check left to run after --suites/--skip', /dns, nodeport/],
  ] as const)('--suites %j --skip %j: %s', async (suites, skip, message, fix) => {
    try {
      await resolveSelection(suites, skip, areas, withCatalog);
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).message).toBe(message);
      expect((error as UsageError).fix).toMatch(fix);
    }
  });
});
