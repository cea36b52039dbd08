/**
 * The self-test's judgement, pure: for one break, what each check was expected to do (fail with a
 * message naming the break, or pass) against what it did, as one matrix (check × expected ×
 * observed × message excerpt), in the manner of the netpol truth tables of the Kubernetes e2e
 * tests. A break is verified when every check that guards against it failed with a matching
 * message and every unrelated check named in the break passed. Checks the break names nothing
 * about are listed with "—" as expectation and never count.
 */

/** What a check did in one run. */
export type ObservedStatus = 'passed' | 'failed' | 'skipped' | 'not run';

/** One check's result, as read from jest's results and the catalog of checks. */
export interface ObservedCheck {
  /** `<area>/<file>`; the title when the catalog did not name the check. */
  readonly id: string;
  readonly title: string;
  readonly status: ObservedStatus;
  /** The failure's verdict (the message without the evidence); '' unless failed. */
  readonly message: string;
}

/** A check that must fail, and the pattern its message must match (the break's symptom). */
export interface MustFail {
  /** Check id (`<area>/<file>`) or title. */
  readonly check: string;
  readonly message: RegExp;
}

/** What one break expects. */
export interface Expectations {
  readonly mustFail: readonly MustFail[];
  /** Check ids or titles that must pass. */
  readonly mustPass: readonly string[];
}

/** One row of the matrix. */
export interface VerdictRow {
  /** The check's id (or the reference as written when it was not observed). */
  readonly check: string;
  /** "fail /re/", "pass" or "—". */
  readonly expected: string;
  /** The observed status, or "missing" when no run reported the check. */
  readonly observed: ObservedStatus | 'missing';
  /** true: as expected; false: not; undefined: not judged. */
  readonly ok: boolean | undefined;
  /** Why a judged row is not ok, or the message excerpt. */
  readonly note: string;
}

/** The verdict of one break. */
export interface BreakVerdict {
  readonly name: string;
  readonly rows: readonly VerdictRow[];
  /** true when every judged row is ok (and no run-level problem was reported). */
  readonly verified: boolean;
  /** Run-level problems ("not verifiable: area missing", the break could not be applied). */
  readonly problems: readonly string[];
}

/** How long an excerpt may be. */
const excerptWidth = 110;

/** The check `ref` (id or title) among the observed ones. */
function find(observed: readonly ObservedCheck[], ref: string): ObservedCheck | undefined {
  return observed.find((o) => o.id === ref) ?? observed.find((o) => o.title === ref);
}

/**
 * One line of `message` for the matrix, whitespace collapsed: the line where `pattern` matches
 * (around the match when long: its start, or its end for a long match), or, for a match over
 * several lines, the end of the line where the match ends (the symptom after its context); else
 * the first non-empty line.
 */
export function excerpt(message: string, pattern?: RegExp, width = excerptWidth): string {
  const tidy = (l: string): string => l.trim().replace(/\s+/g, ' ');
  const lines = message
    .split('\n')
    .map(tidy)
    .filter((l) => l !== '');
  const flags = pattern?.flags.replace(/[gy]/g, '') ?? '';
  const re = pattern === undefined ? undefined : new RegExp(pattern.source, flags);
  let line = lines[0] ?? '';
  let focus = 0;
  const hit = re === undefined ? undefined : lines.find((l) => re.test(l));
  const match = hit === undefined ? null : (re?.exec(hit) ?? null);
  if (hit !== undefined && match !== null) {
    line = hit;
    const end = match.index + match[0].length;
    focus =
      match[0].length <= width - 20 ? Math.max(0, match.index - 20) : Math.max(0, end - width + 10);
  } else if (re !== undefined) {
    const whole = re.exec(message);
    if (whole !== null) {
      const end = whole.index + whole[0].length;
      const lineEnd = message.indexOf('\n', end);
      line = tidy(
        message.slice(message.lastIndexOf('\n', end - 1) + 1, lineEnd < 0 ? undefined : lineEnd),
      );
      focus = line.length;
    }
  }
  if (line.length <= width) return line;
  const start = Math.min(focus, line.length - width + 1);
  const prefix = start > 0 ? '…' : '';
  const room = width - prefix.length;
  const body =
    start + room < line.length ? `${line.slice(start, start + room - 1)}…` : line.slice(start);
  return `${prefix}${body}`;
}

/** Judges one check that must fail. */
function judgeFail(expected: MustFail, o: ObservedCheck | undefined): VerdictRow {
  const row = { check: o?.id ?? expected.check, expected: `fail ${String(expected.message)}` };
  if (o === undefined)
    return { ...row, observed: 'missing', ok: false, note: 'no run reported this check' };
  if (o.status !== 'failed') {
    return {
      ...row,
      observed: o.status,
      ok: false,
      note: 'expected to fail: the break went unseen',
    };
  }
  const flags = expected.message.flags.replace(/[gy]/g, '');
  if (!new RegExp(expected.message.source, flags).test(o.message)) {
    return {
      ...row,
      observed: o.status,
      ok: false,
      note: `message does not name the break: ${excerpt(o.message)}`,
    };
  }
  return { ...row, observed: o.status, ok: true, note: excerpt(o.message, expected.message) };
}

/** Judges one check that must pass. */
function judgePass(ref: string, o: ObservedCheck | undefined): VerdictRow {
  if (o === undefined)
    return {
      check: ref,
      expected: 'pass',
      observed: 'missing',
      ok: false,
      note: 'no run reported this check',
    };
  return {
    check: o.id,
    expected: 'pass',
    observed: o.status,
    ok: o.status === 'passed',
    note: o.status === 'failed' ? excerpt(o.message) : '',
  };
}

/**
 * Compares what `expectations` wanted with `observed`. `problems` are run-level failures
 * (area missing, apply or run failed); any problem makes the break unverified.
 */
export function judgeBreak(
  name: string,
  expectations: Expectations,
  observed: readonly ObservedCheck[],
  problems: readonly string[] = [],
): BreakVerdict {
  const judged = [
    ...expectations.mustFail.map((e) => judgeFail(e, find(observed, e.check))),
    ...expectations.mustPass.map((ref) => judgePass(ref, find(observed, ref))),
  ];
  const named = new Set(judged.map((r) => r.check));
  const others: VerdictRow[] = observed
    .filter((o) => !named.has(o.id))
    .map((o) => ({
      check: o.id,
      expected: '—',
      observed: o.status,
      ok: undefined,
      note: o.status === 'failed' ? excerpt(o.message) : '',
    }));
  const verified = problems.length === 0 && judged.every((r) => r.ok === true);
  return { name, rows: [...judged, ...others], verified, problems };
}

/** The mark of a row: ok, MISMATCH, or blank for rows not judged. */
function mark(ok: boolean | undefined): string {
  if (ok === undefined) return '';
  return ok ? 'ok' : 'MISMATCH';
}

/** Pads the columns of `rows` (the first row is the header) to a table. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** How wide the expected column may be (patterns can be long; the full one is in the row). */
const expectedWidth = 48;

/** `text`, cut to `width` characters with an ellipsis. */
function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** The matrix of one break, with its verdict line first. */
export function renderMatrix(v: BreakVerdict): string {
  const head = `break ${v.name}: ${v.verified ? 'VERIFIED' : 'NOT VERIFIED'}`;
  const problems = v.problems.map((p) => `  ${p}`);
  const rows = table([
    ['check', 'expected', 'observed', '', 'message excerpt'],
    ...v.rows.map((r) => [
      r.check,
      clip(r.expected, expectedWidth),
      r.observed,
      mark(r.ok),
      r.note,
    ]),
  ]);
  return [head, ...problems, rows].join('\n');
}

/** The closing summary: one line per break, then "N passed, N failed" (breaks verified or not). */
export function renderSummary(verdicts: readonly BreakVerdict[]): string {
  const passed = verdicts.filter((v) => v.verified).length;
  return [
    ...verdicts.map(
      (v) =>
        `${v.verified ? 'ok  ' : 'FAIL'} ${v.name}` +
        (v.verified
          ? ''
          : `: ${[...v.problems, ...v.rows.filter((r) => r.ok === false).map((r) => `${r.check} ${r.note}`)].join('; ')}`),
    ),
    `${passed} passed, ${verdicts.length - passed} failed`,
  ].join('\n');
}
