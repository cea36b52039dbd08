// The command line as users meet it: real processes of bin/netconform, their exit codes and what
// they print for bad input. No cluster is involved; these inputs fail before one is needed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const bin = resolve(import.meta.dirname, '..', 'bin', 'netconform');
const dir = mkdtempSync(join(tmpdir(), 'knc-cli-'));

function netconform(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: join(dir, 'none') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('netconform', () => {
  it('--help lists the commands and exits 0', () => {
    const r = netconform('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/commands:\n {2}run .*\n {2}cluster .*\n {2}clean /);
  });

  it('an unknown command exits 2 and lists the commands', () => {
    const r = netconform('conform');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: unknown command "conform"\n  fix: use one of: run, cluster, clean, list, doctor, version\n',
    );
  });

  it('--version, -V and version print the package version, the commit and the pinned Kubernetes', () => {
    const pkg = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '..', 'package.json'), 'utf8'),
    ) as {
      version: string;
    };
    const outputs = ['--version', '-V', 'version'].map((flag) => netconform(flag));
    for (const r of outputs) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(
          `^kube-netconform ${pkg.version.replaceAll('.', '\\.')}\ncommit [0-9a-f]{7,}\nkubernetes v\\d+\\.\\d+\\.\\d+ `,
        ),
      );
    }
    expect(new Set(outputs.map((r) => r.stdout)).size).toBe(1);
  });

  it('every command and subcommand has -h and --help, with examples', () => {
    for (const command of [
      'run',
      'cluster',
      'cluster up',
      'cluster down',
      'clean',
      'list',
      'doctor',
    ])
      for (const flag of ['-h', '--help']) {
        const r = netconform(...command.split(' '), flag);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^usage: netconform ${command.split(' ')[0] ?? ''}`));
        expect(r.stdout).toMatch(/\nexamples:\n {2}netconform /);
      }
    expect(netconform('-h').stdout).toMatch(/^usage: netconform <command>/);
  });

  it('an unknown suite exits 2 and lists the valid ones', () => {
    const r = netconform('run', '--suites', 'dsn', '--kubeconfig', join(dir, 'none'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: unknown suite "dsn"\n {2}fix: use one of: .*kube-proxy.*pod-networking/,
    );
  });

  it('a malformed kubeconfig exits 2 naming the file and how to inspect it', () => {
    const path = join(dir, 'broken');
    writeFileSync(path, 'apiVersion: v1\nclusters: [\n  - {name: : x\n');
    const r = netconform('run', '--kubeconfig', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: the kubeconfig ${path} cannot be read`);
    expect(r.stderr).toContain(
      `fix: repair the file (\`kubectl config view --kubeconfig ${path}\``,
    );
  });

  it('an API server that refuses connections exits 2 naming the server', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    await new Promise<void>((r) =>
      server.close(() => {
        r();
      }),
    );
    const path = join(dir, 'closed');
    writeFileSync(
      path,
      `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: k\n  cluster: { server: "https://127.0.0.1:${address.port}" }\nusers:\n- name: u\n  user: { token: t }\ncontexts:\n- name: c\n  context: { cluster: k, user: u }\n`,
    );
    const r = netconform('run', '--kubeconfig', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error: the API server https://127.0.0.1:${address.port} (context "c") refused the connection`,
    );
  });

  it('--profile with --kubeconfig is a usage error', () => {
    const r = netconform('run', '--profile', 'iptables', '--kubeconfig', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be combined/);
  });

  it('an unknown profile exits 2 and lists the profiles', () => {
    const r = netconform('cluster', 'up', '--profile', 'ebpf');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: unknown profile "ebpf"\n  fix: use one of: iptables, nftables, ipvs\n',
    );
  });
});
