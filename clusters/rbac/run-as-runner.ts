/**
 * `netconform run` with a ServiceAccount's kubeconfig, and what in its results would betray a
 * missing permission. A refused request does not always fail a check: some reads fall back on
 * purpose (an unreadable ConfigMap makes a fact "unknown" in the report, or skips the checks that
 * depend on it), so the verdict also looks at skip reasons, the report's facts and the output.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from '../../reports/summary.ts';
import { repoRoot } from '../paths.ts';

/** How the run ended. */
export interface RunnerRun {
  /** The exit code (null when killed by a signal). */
  readonly code: number | null;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
}

/** Options of {@link runAsRunner}. */
export interface RunnerRunOptions {
  readonly kubeconfig: string;
  readonly reportDir: string;
  /** Areas or check ids (`--suites`); every area when undefined. */
  readonly suites?: string | undefined;
  /** Receives the output as it comes (the CI log shows the run's progress). */
  readonly echo?: (chunk: string) => void;
}

/** Runs `bin/netconform run --kubeconfig …` and collects its output. */
export function runAsRunner(options: RunnerRunOptions): Promise<RunnerRun> {
  const args = ['run', '--kubeconfig', options.kubeconfig, '--report-dir', options.reportDir];
  if (options.suites !== undefined) args.push('--suites', options.suites);
  const child = spawn(join(repoRoot, 'bin', 'netconform'), args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: repoRoot,
  });
  let output = '';
  const take = (data: Buffer): void => {
    const text = data.toString();
    output += text;
    options.echo?.(text);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      resolve({ code, output });
    });
  });
}

/** Reads summary.json of a report directory. */
export function readSummary(reportDir: string): Summary {
  return JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as Summary;
}

/** Words of a refused request, or of a fallback taken because a read failed. */
const refusal =
  /forbidden|\b40[13]\b|unauthori[sz]ed|cannot (get|list|create|delete|update|patch|watch)|could not be read|not readable|could not look for|no kube-proxy ConfigMap/i;

/**
 * The API server's refusal quoted in a failure message (client errors carry the Status body as
 * escaped JSON): `cannot update resource "deployments/scale" in API group "apps" in the namespace
 * "knc-…"`, or an admission policy's denial; undefined when there is none.
 */
export function refusalIn(message: string): string | undefined {
  const plain = message.replace(/\\+"/g, '"').replace(/\\+/g, '');
  return (
    /cannot \w+ resource "[^"]+" in API group "[^"]*"(?: in the namespace "[^"]+"| at the cluster scope)?/.exec(
      plain,
    )?.[0] ??
    /ValidatingAdmissionPolicy '[^']+' with binding '[^']+' denied request: [^"]+/.exec(plain)?.[0]
  );
}

/**
 * What in a run's results says a permission was missing, one line each: failed checks, suite
 * errors, skips for a refused read, facts the report could not read, refusals in the output.
 * Empty when every applicable check passed with everything it wanted to read.
 */
export function permissionProblems(summary: Summary, output: string): string[] {
  const problems: string[] = [];
  const line = (text: string): string => {
    const refused = refusalIn(text);
    const first = text.split('\n')[0] ?? '';
    return refused === undefined ? first.slice(0, 300) : `${first} (${refused})`;
  };
  for (const c of summary.checks) {
    if (c.status === 'failed')
      problems.push(`failed: ${c.id}: ${line(`${c.reason ?? ''}\n${c.message ?? ''}`)}`);
    if (c.status === 'skipped' && refusal.test(c.reason ?? ''))
      problems.push(`skipped for a refused read: ${c.id}: ${line(c.reason ?? '')}`);
  }
  for (const e of summary.suiteErrors)
    problems.push(`suite error: ${e.area}: ${line(`${e.reason}\n${e.message}`)}`);
  const facts = Object.entries(summary.environment ?? { environment: 'unknown' });
  for (const [fact, value] of facts)
    if (value === 'unknown') problems.push(`the report could not read ${fact}`);
  for (const text of output.split('\n'))
    if (/forbidden/i.test(text))
      problems.push(`output: ${refusalIn(text) ?? text.trim().slice(0, 300)}`);
  return [...new Set(problems)];
}
