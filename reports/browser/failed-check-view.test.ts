import { describe, expect, test } from '@jest/globals';
import type { CheckSummary, Summary } from '../summary.ts';
import {
  evidenceSections,
  expectedView,
  judgeView,
  linesToShow,
  NothingToLookForError,
  renderBrowserVerdict,
  type SeenView,
} from './failed-check-view.ts';

const probe = [
  'where: pod knc-dns-1/client[netshoot]',
  'command: dig +short web.knc-dns-1.svc.cluster.local. A',
  'exit code: 9',
  'duration: 155 ms',
  '--- stdout ---',
  ';; communications error to 10.96.0.10#53: connection refused',
  '',
  ';; no servers could be reached',
  '--- stderr ---',
  '',
].join('\n');

const message = [
  'CheckFailure: expected A records {10.96.100.23} for web, observed TimedOut (no DNS server answered)',
  '(still so after 45 s)',
  '',
  '=== resolver ===',
  'nameserver 10.96.0.10',
  '',
  '=== dig batch, attempt 1 ===',
  probe,
  '',
  '=== attempts ===',
  '23 attempt(s) over 45.1 s',
].join('\n');

const failed: CheckSummary = {
  id: 'dns/a-service-name-resolves-to-its-cluster-ip',
  area: 'dns',
  title: 'a Service name <svc>.<ns>.svc.<domain> resolves (A) to the Service ClusterIP',
  status: 'failed',
  durationMs: 45_000,
  reason: 'expected A records {10.96.100.23} for web, observed TimedOut (no DNS server answered)',
  message,
  stateDump: 'dumps/dns.txt',
};

const dumpText = [
  'state dump of area dns (namespace knc-dns-1, run r-1), gathered at 2026-12-08T00:10:00Z in 1.4 s',
  'for the failed checks: dns/a-service-name-resolves-to-its-cluster-ip',
  "involved nodes (where the area's pods ran): kind-worker",
  'bounds: …',
  '',
  '=== pods in knc-dns-1 ===',
].join('\n');
const readDump = (file: string): string | undefined =>
  file === 'dumps/dns.txt' ? dumpText : undefined;
const dumpName = 'state dump of area dns (events, pods, kube-proxy and CoreDNS logs)';

function summaryOf(checks: CheckSummary[]): Summary {
  const count = (s: string): number => checks.filter((c) => c.status === s).length;
  return {
    totals: {
      passed: count('passed'),
      failed: count('failed'),
      skipped: count('skipped'),
      notRun: 0,
      total: checks.length,
    },
    checks,
    suiteErrors: [],
    environment: undefined,
  };
}

const passed: CheckSummary = {
  id: 'dns/pods-resolv-conf-points-at-kube-dns',
  area: 'dns',
  title: "a pod's resolv.conf names the kube-dns IP",
  status: 'passed',
  durationMs: 98,
};

describe('evidence of a failure message', () => {
  test('one section per "=== title ===", bodies without trailing blank lines', () => {
    expect(evidenceSections(message)).toEqual([
      { title: 'resolver', body: 'nameserver 10.96.0.10' },
      { title: 'dig batch, attempt 1', body: probe.trimEnd() },
      { title: 'attempts', body: '23 attempt(s) over 45.1 s' },
    ]);
  });

  test('a probe record shows its command and the first lines of its output', () => {
    expect(linesToShow(probe)).toEqual([
      'command: dig +short web.knc-dns-1.svc.cluster.local. A',
      ';; communications error to 10.96.0.10#53: connection refused',
      ';; no servers could be reached',
    ]);
  });

  test('a probe with nothing on stdout shows its stderr; other evidence its first lines', () => {
    const quiet = probe.replace(
      /--- stdout ---[\s\S]*--- stderr ---\n/,
      '--- stdout ---\n--- stderr ---\ncurl: (6) Could not resolve host: web\n',
    );
    expect(linesToShow(quiet)).toEqual([
      'command: dig +short web.knc-dns-1.svc.cluster.local. A',
      'curl: (6) Could not resolve host: web',
    ]);
    expect(linesToShow('a\n\nb\nc\nd')).toEqual(['a', 'b', 'c']);
  });
});

describe('expectedView', () => {
  const withoutDump = {
    checkId: failed.id,
    area: 'dns',
    title: failed.title,
    reason: failed.reason,
    evidence: {
      title: 'dig batch, attempt 1',
      lines: [
        'command: dig +short web.knc-dns-1.svc.cluster.local. A',
        ';; communications error to 10.96.0.10#53: connection refused',
        ';; no servers could be reached',
      ],
    },
  };
  const expected = {
    ...withoutDump,
    dump: { title: dumpName, lines: dumpText.split('\n').slice(0, 3), file: 'dumps/dns.txt' },
  };

  test('the first failed check, its first probe record as the evidence and its area’s dump', () => {
    expect(expectedView(summaryOf([passed, failed]), undefined, readDump)).toEqual(expected);
  });

  test('a check named by id or by title', () => {
    expect(expectedView(summaryOf([passed, failed]), failed.id, readDump)).toEqual(expected);
    expect(expectedView(summaryOf([passed, failed]), failed.title, readDump)).toEqual(expected);
  });

  test('no dump to look for when summary.json names none or its file is gone', () => {
    expect(expectedView(summaryOf([passed, failed]))).toEqual(withoutDump);
    const bare = { ...failed, stateDump: undefined };
    expect(expectedView(summaryOf([bare]), undefined, readDump)).toEqual(withoutDump);
  });

  test('nothing to look for: no failed check, a check that passed, a failure without evidence', () => {
    expect(() => expectedView(summaryOf([passed]))).toThrow(NothingToLookForError);
    expect(() => expectedView(summaryOf([passed]))).toThrow(
      'no check failed in this run (1 passed, 0 skipped)',
    );
    expect(() => expectedView(summaryOf([passed, failed]), passed.id)).toThrow(
      `check ${passed.id} passed in this run: there is no failure to look for in the report`,
    );
    expect(() => expectedView(summaryOf([failed]), 'dns/nope')).toThrow(
      'summary.json lists no check dns/nope',
    );
    const bare = { ...failed, message: 'CheckFailure: expected A records' };
    expect(() => expectedView(summaryOf([bare]))).toThrow(
      `check ${failed.id} failed without evidence in its message`,
    );
  });
});

describe('judgeView', () => {
  const expected = expectedView(summaryOf([failed]), undefined, readDump);
  const good: SeenView = {
    title: { text: `  ${failed.title}\n`, visible: true },
    status: { text: 'Failed', visible: true },
    message: { text: `${failed.reason}\n(still so after 45 s)\n\n=== resolver ===`, visible: true },
    attachment: { text: probe, visible: true },
    dump: { text: dumpText, visible: true },
    attachments: ['resolver', 'dig batch, attempt 1', 'attempts', dumpName],
  };

  test('no problem when title, status, message, evidence and state dump are all on screen', () => {
    expect(judgeView(expected, good)).toEqual([]);
  });

  test('a state dump missing from the page, or from the run', () => {
    expect(judgeView(expected, { ...good, dump: undefined })).toEqual([
      expect.stringMatching(
        /^state dump attachment "state dump of area dns \(events, pods, kube-proxy and CoreDNS logs\)": not on the page \(expected it to show "state dump of area dns/,
      ),
    ]);
    expect(judgeView(expected, { ...good, dump: { text: 'other', visible: true } })[0]).toMatch(
      /^state dump attachment ".*": the page shows "other", expected it to show/,
    );
    const noDump = { ...expected, dump: undefined };
    expect(judgeView(noDump, good)).toEqual([
      `state dump: summary.json names no readable state dump for ${failed.id} (a failed check's area must have its dump, dumps/dns.txt)`,
    ]);
  });

  test('a check shown as broken, its message elsewhere, its evidence not opened', () => {
    expect(
      judgeView(expected, {
        ...good,
        status: { text: 'Broken', visible: true },
        message: { text: good.message?.text ?? '', visible: false },
        attachment: { text: 'where: pod knc-dns-1/client[netshoot]', visible: true },
      }),
    ).toEqual([
      'status: the page shows "Broken", expected "Failed"',
      'failure message: on the page but not on screen even when scrolled into view (hidden, clipped or covered)',
      'evidence attachment "dig batch, attempt 1": the page shows "where: pod knc-dns-1/client[netshoot]", expected it to show "command: dig +short web.knc-dns-1.svc.cluster.local. A", ";; communications error to 10.96.0.10#53: connection refused", ";; no servers could be reached"',
    ]);
  });

  test('evidence missing: says which attachments the check has, or that it has none', () => {
    const without = { ...good, attachment: undefined };
    expect(judgeView(expected, { ...without, attachments: [] })).toEqual([
      expect.stringMatching(
        /^evidence attachment "dig batch, attempt 1": not on the page \(expected it to show .*\); the check shows no attachment at all$/,
      ),
    ]);
    expect(judgeView(expected, { ...without, attachments: ['attempts'] })[0]).toMatch(
      /; the check's attachments: "attempts"$/,
    );
  });

  test('the title and status far above the evidence: each is judged where it is scrolled to', () => {
    // a long failure message (many retry rounds) puts the evidence thousands of pixels below the
    // title; what the browser saw of each part, once scrolled to, is all that is judged
    const long = `${failed.reason}\n${'=== round ===\nTimedOut\n'.repeat(200)}`;
    expect(judgeView(expected, { ...good, message: { text: long, visible: true } })).toEqual([]);
    expect(
      judgeView(expected, {
        ...good,
        title: { text: failed.title, visible: false },
        status: { text: 'Failed', visible: false },
      }),
    ).toEqual([
      'title: on the page but not on screen even when scrolled into view (hidden, clipped or covered)',
      'status: on the page but not on screen even when scrolled into view (hidden, clipped or covered)',
    ]);
  });

  test('the printed verdict names the check, what was seen and the screenshot', () => {
    const text = renderBrowserVerdict({
      expected,
      seen: good,
      problems: [],
      screenshots: [
        { path: '/r/report-in-browser.png', shows: ['title', 'status', 'message', 'attachment'] },
      ],
      durationMs: 5200,
    });
    expect(text.split('\n')).toEqual([
      'report in browser: PASSED (5.2 s)',
      `  check       ${failed.id}`,
      `  title       "${failed.title}"`,
      '  status      "Failed"',
      expect.stringMatching(
        /^ {2}message {5}"expected A records \{10\.96\.100\.23\} for web, .*…"$/,
      ),
      expect.stringMatching(/^ {2}evidence {4}"dig batch, attempt 1": "where: pod knc-dns-1/),
      expect.stringMatching(/^ {2}state dump {2}dumps\/dns.txt: "state dump of area dns /),
      '  screenshot  /r/report-in-browser.png (shows title, status, message, evidence)',
    ]);
  });

  test('two screenshots, one line each with what it shows; none, and a problem', () => {
    const two = renderBrowserVerdict({
      expected,
      seen: good,
      problems: [],
      screenshots: [
        { path: '/r/report-in-browser.png', shows: ['title', 'status', 'message'] },
        { path: '/r/report-in-browser-evidence.png', shows: ['attachment'] },
      ],
      durationMs: 5200,
    });
    expect(two.split('\n').slice(-2)).toEqual([
      '  screenshot  /r/report-in-browser.png (shows title, status, message)',
      '  screenshot  /r/report-in-browser-evidence.png (shows evidence)',
    ]);
    const none = renderBrowserVerdict({
      expected,
      seen: undefined,
      problems: ['suite dns lists no check titled "x"'],
      screenshots: [],
      durationMs: 100,
    });
    expect(none.split('\n')).toEqual([
      'report in browser: FAILED (0.1 s)',
      `  check       ${failed.id}`,
      '  title       -',
      '  status      -',
      '  message     -',
      '  evidence    "dig batch, attempt 1": -',
      '  state dump  dumps/dns.txt: -',
      '  screenshot  none',
      '  problem: suite dns lists no check titled "x"',
    ]);
  });
});
