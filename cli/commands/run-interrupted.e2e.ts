// A run stopped by SIGTERM still writes its reports, as a CI job's timeout meets it: on an existing
// cluster (KNC_E2E_KUBECONFIG, e.g. the standing knc-iptables cluster; skipped without it), a run
// of two areas, one at a time, gets SIGTERM once two checks finished. It exits 143; summary.json
// and junit.xml hold the finished checks with their verdicts and every other check of both areas
// (also of an area that had not started) as not run, with the signal as the reason; the suites
// stopped with the signal (no check finished after it), and the run's last cleanup step found
// nothing of it left.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { poll } from '../../helpers/poll.ts';
import { finishedChecksFile, readFinishedChecks } from '../../reports/finished-checks.ts';
import type { Summary } from '../../reports/summary.ts';
import { checkCatalog } from '../checks-catalog.ts';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'netconform');
const kubeconfig = process.env.KNC_E2E_KUBECONFIG;
const areas = ['dns', 'env-vars'];
const dir = mkdtempSync(join(tmpdir(), 'knc-interrupted-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The checks recorded as finished (passed or failed) so far. */
function finished(): { title: string; status: string }[] {
  return readFinishedChecks(dir)
    .testResults.flatMap((f) => f.assertionResults)
    .filter((a) => a.status === 'passed' || a.status === 'failed');
}

(kubeconfig === undefined ? describe.skip : describe)(
  'a run stopped by SIGTERM (needs KNC_E2E_KUBECONFIG: an existing cluster)',
  () => {
    it('reports the checks that finished and the others as not run, and exits 143', async () => {
      const args = [
        '--kubeconfig',
        kubeconfig ?? '',
        '--suites',
        areas.join(','),
        '--parallel',
        '1',
      ];
      const child = spawn(bin, ['run', ...args, '--report-dir', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((done) => child.on('exit', done));
      await poll({
        what: 'two checks of the run finished',
        deadline: 'suiteSetup',
        intervalMs: 200,
        attempt: () =>
          Promise.resolve({
            done: finished().length >= 2 || child.exitCode !== null,
            state: output,
          }),
      });
      child.kill('SIGTERM');
      const code = await exited;
      expect({ code, output }).toMatchObject({ code: 143 });

      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
      expect(summary.interrupted).toMatch(/^the run was interrupted by SIGTERM after \d+ s$/);
      const declared = (await checkCatalog()).filter((c) => areas.includes(c.area));
      expect(summary.checks.map((c) => c.id).sort()).toEqual(declared.map((c) => c.id).sort());
      // Nothing finished after the reports were written: jest and its workers were stopped.
      const done = finished();
      for (const f of done)
        expect(summary.checks.find((c) => c.title === f.title)?.status).toBe(f.status);
      const rest = summary.checks.filter((c) => !done.some((f) => f.title === c.title));
      expect(rest.length).toBeGreaterThan(0);
      for (const c of rest) {
        if (c.status !== 'skipped')
          expect(c).toMatchObject({ status: 'not-run', reason: summary.interrupted });
      }
      expect(summary.totals.notRun).toBe(rest.filter((c) => c.status === 'not-run').length);

      const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
      expect(
        junit.split(`<skipped message="not run: ${summary.interrupted ?? ''}"/>`),
      ).toHaveLength(summary.totals.notRun + 1);
      expect(existsSync(finishedChecksFile(dir))).toBe(true);
      expect(output).toContain('cleaned up: nothing of the run is left');
      expect(output).not.toContain('cleanup FAILED');
    }, 600_000);
  },
);
