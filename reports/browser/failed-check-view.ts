/**
 * What the report must show for a failed check, and whether the browser saw it. Pure: the
 * expectation comes from summary.json (built from jest's own results, independent of Allure), and
 * the verdict compares it with what the page showed, so both are tested without a browser.
 *
 * A person looking at a failed check in the report must see, on screen once they scroll to it:
 * its title (the sentence the check is named by), the status "Failed", the failure message (the
 * verdict's first line), and, once they open it, an evidence attachment with its content (for a
 * probe: the command and the first lines of its output), and the state dump of the check's area
 * (reports/state-dumps.ts) with the first lines of its file. Each part is judged on its own,
 * scrolled into view: a long failure message may put the evidence far below the title.
 */
import { stateDumpAttachmentName } from '../state-dumps.ts';
import type { CheckSummary, Summary } from '../summary.ts';
import { describeShown, type Screenshot } from './screenshots.ts';

/** One evidence item of a failure message (`=== title ===` and the lines under it). */
export interface EvidenceSection {
  readonly title: string;
  readonly body: string;
}

/** What the report must show for one failed check. */
export interface ExpectedView {
  readonly checkId: string;
  /** The area: the report's suite the check is listed under. */
  readonly area: string;
  readonly title: string;
  /** The verdict's first line, as the failure message shown must contain it. */
  readonly reason: string;
  /** The evidence attachment to open, and lines its content must show. */
  readonly evidence: { readonly title: string; readonly lines: readonly string[] };
  /**
   * The state dump of the check's area to open, and lines it must show (the first of its file);
   * undefined when summary.json names no dump for the check, or its file cannot be read.
   */
  readonly dump?: {
    readonly title: string;
    readonly lines: readonly string[];
    /** Its file, relative to the report directory. */
    readonly file: string;
  };
}

/**
 * A piece of text the browser found, and whether a person could see it once it is scrolled into
 * view: its start in the viewport and in its scroll container, not hidden, nothing on top of it.
 */
export interface SeenText {
  readonly text: string;
  readonly visible: boolean;
}

/** What the browser found on the page of the check's result; undefined: not on the page. */
export interface SeenView {
  readonly title: SeenText | undefined;
  readonly status: SeenText | undefined;
  readonly message: SeenText | undefined;
  readonly attachment: SeenText | undefined;
  /** The opened state dump's content. */
  readonly dump: SeenText | undefined;
  /** The names of every attachment in the result pane. */
  readonly attachments: readonly string[];
}

/** Thrown when summary.json offers nothing to look for (no failed check, no evidence). */
export class NothingToLookForError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToLookForError';
  }
}

/** How many lines of an evidence body the attachment must show. */
const shownLines = 3;

/** Whitespace collapsed and trimmed: how text compares between a file and a rendered page. */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The evidence items of a failure message, in order (the sections after the verdict). */
export function evidenceSections(message: string): EvidenceSection[] {
  const sections: EvidenceSection[] = [];
  let current: { title: string; lines: string[] } | undefined;
  const close = (): void => {
    if (current !== undefined)
      sections.push({ title: current.title, body: current.lines.join('\n').trimEnd() });
  };
  for (const line of message.split('\n')) {
    const header = /^=== (.+) ===$/.exec(line);
    if (header?.[1] !== undefined) {
      close();
      current = { title: header[1], lines: [] };
    } else {
      current?.lines.push(line);
    }
  }
  close();
  return sections;
}

/**
 * The lines an opened attachment must show: for a probe record, its `command:` line and the first
 * lines of its output (stdout, else stderr); otherwise the first lines of the body.
 */
export function linesToShow(body: string): string[] {
  const lines = body.split('\n');
  const nonEmpty = (ls: readonly string[]): string[] => ls.map((l) => l.trim()).filter(Boolean);
  const command = lines.find((l) => l.startsWith('command: '));
  if (command === undefined) return nonEmpty(lines).slice(0, shownLines);
  const stream = (name: string): string[] => {
    const start = lines.indexOf(`--- ${name} ---`);
    if (start < 0) return [];
    const after = lines.slice(start + 1);
    const end = after.findIndex((l) => /^--- (?:stdout|stderr) ---$/.test(l));
    return nonEmpty(end < 0 ? after : after.slice(0, end));
  };
  const output = stream('stdout').length > 0 ? stream('stdout') : stream('stderr');
  return [command.trim(), ...output.slice(0, shownLines)];
}

/** The evidence of a failed check to open in the report: its first probe record, else its first item. */
function evidenceOf(check: CheckSummary): ExpectedView['evidence'] | undefined {
  const sections = evidenceSections(check.message ?? '').filter((s) => s.body.trim() !== '');
  const chosen = sections.find((s) => /^command: /m.test(s.body)) ?? sections[0];
  return chosen === undefined
    ? undefined
    : { title: chosen.title, lines: linesToShow(chosen.body) };
}

/**
 * What the report must show for the failed check `ref` (its id or title) of `summary`, or for its
 * first failed check that carries evidence when no check is named. `readDump` reads a state dump
 * (a path relative to the report directory), undefined when it cannot.
 * @throws {NothingToLookForError} when there is no such failed check, or it has no evidence.
 */
export function expectedView(
  summary: Summary,
  ref?: string,
  readDump: (file: string) => string | undefined = () => undefined,
): ExpectedView {
  const failed = summary.checks.filter((c) => c.status === 'failed');
  let check: CheckSummary | undefined;
  if (ref !== undefined) {
    check = summary.checks.find((c) => c.id === ref) ?? summary.checks.find((c) => c.title === ref);
    if (check === undefined) {
      throw new NothingToLookForError(`summary.json lists no check ${ref}`);
    }
    if (check.status !== 'failed') {
      throw new NothingToLookForError(
        `check ${check.id} ${check.status} in this run: there is no failure to look for in the report`,
      );
    }
  } else {
    if (failed.length === 0) {
      throw new NothingToLookForError(
        `no check failed in this run (${summary.totals.passed} passed, ${summary.totals.skipped} skipped): the report of a run with a failed check is needed, e.g. one of the self-test's broken clusters`,
      );
    }
    check = failed.find((c) => evidenceOf(c) !== undefined) ?? failed[0];
  }
  const evidence = check === undefined ? undefined : evidenceOf(check);
  if (check === undefined || evidence === undefined) {
    throw new NothingToLookForError(
      `check ${check?.id ?? '?'} failed without evidence in its message: a failing check must carry its evidence`,
    );
  }
  const dumpText = check.stateDump === undefined ? undefined : readDump(check.stateDump);
  return {
    checkId: check.id,
    area: check.area,
    title: check.title,
    reason: check.reason ?? '',
    evidence,
    ...(check.stateDump === undefined || dumpText === undefined
      ? {}
      : {
          dump: {
            title: stateDumpAttachmentName(check.area),
            lines: linesToShow(dumpText),
            file: check.stateDump,
          },
        }),
  };
}

/** A short quote of what the page showed, for a message. */
function quote(text: string, width = 100): string {
  const t = normalizeText(text);
  return `"${t.length <= width ? t : `${t.slice(0, width - 1)}…`}"`;
}

/**
 * What is wrong with what the browser saw, one sentence each; empty when a person would have seen
 * the check's title, its status "Failed", its failure message and its evidence.
 */
export function judgeView(expected: ExpectedView, seen: SeenView): string[] {
  const problems: string[] = [];
  const judge = (
    what: string,
    found: SeenText | undefined,
    want: string,
    ok: (text: string) => boolean,
    absent = '',
  ): void => {
    if (found === undefined) {
      problems.push(`${what}: not on the page (expected ${want})${absent}`);
    } else if (!ok(found.text)) {
      problems.push(`${what}: the page shows ${quote(found.text)}, expected ${want}`);
    } else if (!found.visible) {
      problems.push(
        `${what}: on the page but not on screen even when scrolled into view (hidden, clipped or covered)`,
      );
    }
  };
  const same = (a: string, b: string): boolean => normalizeText(a) === normalizeText(b);
  judge('title', seen.title, quote(expected.title), (t) => same(t, expected.title));
  judge('status', seen.status, '"Failed"', (t) => normalizeText(t).toLowerCase() === 'failed');
  judge('failure message', seen.message, `it to contain ${quote(expected.reason)}`, (t) =>
    normalizeText(t).includes(normalizeText(expected.reason)),
  );
  const { title, lines } = expected.evidence;
  judge(
    `evidence attachment "${title}"`,
    seen.attachment,
    `it to show ${lines.map((l) => quote(l, 60)).join(', ')}`,
    (t) => lines.every((l) => normalizeText(t).includes(normalizeText(l))),
    seen.attachments.length === 0
      ? '; the check shows no attachment at all'
      : `; the check's attachments: ${seen.attachments.map((n) => `"${n}"`).join(', ')}`,
  );
  const { dump } = expected;
  if (dump === undefined) {
    problems.push(
      `state dump: summary.json names no readable state dump for ${expected.checkId} (a failed check's area must have its dump, dumps/${expected.area}.txt)`,
    );
  } else {
    judge(
      `state dump attachment "${dump.title}"`,
      seen.dump,
      `it to show ${dump.lines.map((l) => quote(l, 60)).join(', ')}`,
      (t) => dump.lines.every((l) => normalizeText(t).includes(normalizeText(l))),
      `; the check's attachments: ${seen.attachments.map((n) => `"${n}"`).join(', ') || 'none'}`,
    );
  }
  return problems;
}

/**
 * The outcome as printed: a verdict line, what was looked for and seen, each screenshot with the
 * parts in view in it, each problem.
 */
export function renderBrowserVerdict(outcome: {
  readonly expected: ExpectedView;
  readonly seen: SeenView | undefined;
  readonly problems: readonly string[];
  readonly screenshots: readonly Screenshot[];
  readonly durationMs: number;
}): string {
  const { expected, seen, problems } = outcome;
  const shown = (s: SeenText | undefined): string =>
    s === undefined
      ? 'not on the page'
      : `${quote(s.text, 90)}${s.visible ? '' : ' (not on screen)'}`;
  const lines = [
    `report in browser: ${problems.length === 0 ? 'PASSED' : 'FAILED'} (${(outcome.durationMs / 1000).toFixed(1)} s)`,
    `  check       ${expected.checkId}`,
    `  title       ${seen === undefined ? '-' : shown(seen.title)}`,
    `  status      ${seen === undefined ? '-' : shown(seen.status)}`,
    `  message     ${seen === undefined ? '-' : shown(seen.message)}`,
    `  evidence    "${expected.evidence.title}": ${seen === undefined ? '-' : shown(seen.attachment)}`,
    expected.dump === undefined
      ? '  state dump  none named in summary.json'
      : `  state dump  ${expected.dump.file}: ${seen === undefined ? '-' : shown(seen.dump)}`,
    ...(outcome.screenshots.length === 0
      ? ['  screenshot  none']
      : outcome.screenshots.map(
          (s) => `  screenshot  ${s.path} (shows ${describeShown(s.shows)})`,
        )),
    ...problems.map((p) => `  problem: ${p}`),
  ];
  return lines.join('\n');
}
