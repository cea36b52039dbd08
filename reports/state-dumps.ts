/**
 * State dumps in the reports. A suite process writes the dump of an area with a failed check to
 * `<report dir>/dumps/<area>.txt` (suites/framework/state-dump.ts gathers it), so CI artifacts
 * carry it beside the reports. Before the HTML report is generated, {@link attachStateDumps} puts
 * each dump into the Allure results once, as one attachment file, and gives every failed (or
 * broken) check of the area an attachment that points at that file: one copy per area, shown on
 * each of its failed checks. summary.json names the file of each failed check
 * ({@link withStateDumps}).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { reportDirOf } from './catalog.ts';
import type { Summary } from './summary.ts';

/** The folder of the dumps in a report directory. */
export const dumpsFolder = 'dumps';

/** The dump of `area`, relative to the report directory. */
export function stateDumpPath(area: string): string {
  return `${dumpsFolder}/${area}.txt`;
}

/** The name of an area's dump among a check's attachments. */
export function stateDumpAttachmentName(area: string): string {
  return `state dump of area ${area} (events, pods, kube-proxy and CoreDNS logs)`;
}

/** Writes the dump of `area`; returns its path. */
export function writeStateDump(area: string, text: string, reportDir = reportDirOf()): string {
  mkdirSync(join(reportDir, dumpsFolder), { recursive: true });
  const path = join(reportDir, stateDumpPath(area));
  writeFileSync(path, text);
  return path;
}

/** The dumps of a run: area → path relative to the report directory (empty when none). */
export function readStateDumps(reportDir: string): Map<string, string> {
  const dir = join(reportDir, dumpsFolder);
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .map((f) => {
        const area = f.slice(0, -'.txt'.length);
        return [area, stateDumpPath(area)];
      }),
  );
}

/** The summary with each failed check's `stateDump`: the file of its area's dump. */
export function withStateDumps(summary: Summary, dumps: ReadonlyMap<string, string>): Summary {
  return {
    ...summary,
    checks: summary.checks.map((c) => {
      const dump = dumps.get(c.area);
      return c.status === 'failed' && dump !== undefined ? { ...c, stateDump: dump } : c;
    }),
  };
}

/** The part of an Allure result this reads and writes. */
interface AllureResult {
  status?: string;
  labels?: { name: string; value: string }[];
  attachments?: { name: string; source: string; type: string }[];
}

/**
 * Adds each dump of `reportDir` to the Allure results in `resultsDir`: the file once, as an
 * attachment source, and a reference to it on every failed or broken result of its area (the
 * area is the result's `parentSuite`). Returns how many results got one.
 */
export function attachStateDumps(resultsDir: string, reportDir: string): number {
  const dumps = readStateDumps(reportDir);
  if (dumps.size === 0) return 0;
  const results = readdirSync(resultsDir).filter((f) => f.endsWith('-result.json'));
  let attached = 0;
  for (const [area, relative] of dumps) {
    const name = stateDumpAttachmentName(area);
    let source: string | undefined;
    for (const file of results) {
      const path = join(resultsDir, file);
      const result = JSON.parse(readFileSync(path, 'utf8')) as AllureResult;
      if (result.status !== 'failed' && result.status !== 'broken') continue;
      if (result.labels?.find((l) => l.name === 'parentSuite')?.value !== area) continue;
      if (result.attachments?.some((a) => a.name === name) === true) continue;
      if (source === undefined) {
        source = `${randomUUID()}-attachment.txt`;
        copyFileSync(join(reportDir, relative), join(resultsDir, source));
      }
      result.attachments = [...(result.attachments ?? []), { name, source, type: 'text/plain' }];
      writeFileSync(path, JSON.stringify(result));
      attached += 1;
    }
  }
  return attached;
}
