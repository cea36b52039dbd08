// `list`, `doctor` and the validation of run's flags, as users meet them: real processes of
// bin/netconform. No cluster is involved; bad input fails before one is needed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SetupError } from '../../helpers/errors.ts';
import { renderFinding } from './doctor.ts';
import { runCommand } from './run.ts';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'netconform');
const dir = mkdtempSync(join(tmpdir(), 'knc-commands-'));
const none = join(dir, 'none');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function netconform(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: none } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('netconform list', () => {
  it('prints each area, then each of its checks once as "<id>: <title>"', () => {
    const r = netconform('list');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const areas = lines.filter((l) => !l.startsWith('  '));
    const checks = lines.filter((l) => l.startsWith('  '));
    for (const a of areas) expect(a).toMatch(/^[a-z-]+ \(\d+ checks?\)$/);
    expect(areas.map((a) => a.split(' ')[0])).toEqual(
      expect.arrayContaining(['clusterip', 'dns', 'pod-networking']),
    );
    const ids = checks.map((l) => /^ {2}([a-z-]+\/[a-z0-9-]+): \S/.exec(l)?.[1]);
    expect(ids).not.toContain(undefined);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('dns/named-ports-have-srv-records');
    const total = areas.reduce((n, a) => n + Number(/\((\d+)/.exec(a)?.[1]), 0);
    expect(total).toBe(ids.length);
    expect(netconform('list', '--ids').stdout.trimEnd().split('\n')).toEqual(ids);
  });
});

describe('netconform run: flags checked before any cluster work', () => {
  it('an unknown check id exits 2 and names the close matches', () => {
    const r = netconform('run', '--suites', 'dns/named-port-srv', '--kubeconfig', none);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: unknown check "dns/named-port-srv"\n  fix: did you mean dns/named-ports-have-srv-records? (`netconform list` shows every check id)\n',
    );
  });

  it('an unknown check id in --skip is an error too', () => {
    const r = netconform('run', '--skip', 'pod-networking/pod-reaches-pod', '--kubeconfig', none);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: unknown check "pod-networking\/pod-reaches-pod"\n {2}fix: did you mean pod-networking\/pod-reaches-pod-on-/,
    );
  });

  it('a bad --image-overrides file exits 2 listing the keys', () => {
    const file = join(dir, 'overrides.json');
    writeFileSync(file, '{"nginx": "x/nginx:1", "redis": "x/redis:7"}');
    const r = netconform('run', '--image-overrides', file, '--kubeconfig', none);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --image-overrides: unknown image key "redis" in ${file}\n  fix: write a JSON object such as {"nginx": "<registry>/nginx:1.27.3"}; valid keys: nginx, color, netshoot, busybox\n`,
    );
  });

  it('a bad --external-target exits 2', () => {
    const r = netconform('run', '--external-target', 'bad name', '--kubeconfig', none);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: --external-target "bad name" is not a DNS name with an optional port\n  fix: give a name such as web.example.org or web.example.org:8080 (a server answering plain HTTP)\n',
    );
  });

  it('--parallel 0 exits 2', () => {
    const r = netconform('run', '--parallel', '0', '--kubeconfig', none);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: --parallel must be a positive number, got "0"\n  fix: pass e.g. --parallel 2\n',
    );
  });
});

/** The message of the SetupError `run` throws for `args` (before it needs a cluster). */
async function runError(...args: string[]): Promise<string> {
  try {
    await runCommand([...args, '--kubeconfig', none, '--report-dir', join(dir, 'reports')]);
  } catch (error) {
    if (error instanceof SetupError) return error.message;
    throw error;
  }
  throw new Error('run did not fail');
}

describe('run flag validation (in process)', () => {
  it.each([
    ['{"nginx": ', 'is not JSON'],
    ['["nginx"]', 'is not a JSON object'],
    ['{"nginx": 3}', 'the image of "nginx"'],
    ['{"nginx": "x/nginx:1", "Nginx": "y"}', 'unknown image key "Nginx"'],
  ])('--image-overrides with %j: %s', async (content, problem) => {
    const file = join(dir, 'table.json');
    writeFileSync(file, content);
    expect(await runError('--image-overrides', file)).toContain(problem);
  });

  it('--image-overrides of a missing file', async () => {
    expect(await runError('--image-overrides', join(dir, 'absent.json'))).toContain('no file');
  });

  it.each(['web.example.org:99999', 'http://web.example.org', 'web_server.example', 'a..b'])(
    '--external-target %j',
    async (target) => {
      expect(await runError('--external-target', target)).toBe(
        `--external-target "${target}" is not a DNS name with an optional port`,
      );
    },
  );

  it.each([
    ['two', '--parallel must be a positive number, got "two"'],
    ['1.5', '--parallel must be a whole number, got 1.5'],
  ])('--parallel %s', async (n, message) => {
    expect(await runError('--parallel', n)).toBe(message);
  });

  it('--image-mirror with a scheme', async () => {
    expect(await runError('--image-mirror', 'https://mirror')).toContain('not a registry prefix');
  });

  it('valid new flags get past validation (to the missing kubeconfig)', async () => {
    const file = join(dir, 'good.json');
    writeFileSync(file, '{"busybox": "x/busybox:1.36.1"}');
    expect(
      await runError(
        ...['--suites', 'dns/named-ports-have-srv-records', '--image-overrides', file],
        ...['--external-target', 'web.example.org:8080', '--parallel', '2'],
      ),
    ).toMatch(/^no kubeconfig at .*none$|needs Java/);
  });
});

describe('netconform doctor', () => {
  it('prints one finding per subject as "ok|warn|FAIL <what>: <detail>" and exits 0 or 2', () => {
    const r = netconform('doctor');
    expect([0, 2]).toContain(r.code);
    const lines = r.stdout.trimEnd().split('\n');
    const findings = lines.filter((l) => /^(ok |warn|FAIL) /.test(l));
    expect(findings.map((l) => /^(?:ok {3}|warn |FAIL )([^:]+): \S/.exec(l)?.[1])).toEqual([
      'node',
      'docker',
      'privileged containers',
      'kind toolchain',
      'java',
      'kernel IPVS',
      'kernel nftables',
      'cluster API',
    ]);
    // Every line that is not ok is followed by what to do.
    lines.forEach((l, i) => {
      if (/^(warn|FAIL) /.test(l)) expect(lines[i + 1]).toMatch(/^ {5}fix: \S/);
    });
    const fails = findings.filter((l) => l.startsWith('FAIL')).length;
    expect(r.code).toBe(fails === 0 ? 0 : 2);
    expect(lines.at(-1)).toMatch(new RegExp(`^\\d+ ok, \\d+ warn, ${fails} FAIL: `));
  }, 120_000);

  it('with a kubeconfig that does not exist, the cluster API FAILs and it exits 2', () => {
    const r = netconform('doctor', '--kubeconfig', none);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`\\nFAIL cluster API: .*${none}.*\\n {5}fix: `));
  }, 120_000);

  it.each([
    [
      { status: 'ok', what: 'docker', detail: 'the engine answers' },
      'ok   docker: the engine answers',
    ],
    [
      { status: 'warn', what: 'kernel IPVS', detail: 'no ip_vs', fix: 'use iptables' },
      'warn kernel IPVS: no ip_vs\n     fix: use iptables',
    ],
    [
      { status: 'FAIL', what: 'java', detail: 'no java', fix: 'install one' },
      'FAIL java: no java\n     fix: install one',
    ],
  ] as const)('renders %j', (finding, text) => {
    expect(renderFinding(finding)).toBe(text);
  });
});
