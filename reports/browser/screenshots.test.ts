import { describe, expect, test } from '@jest/globals';
import {
  describeShown,
  dumpScreenshotPath,
  evidenceScreenshotPath,
  screenshotPlan,
} from './screenshots.ts';

describe('the evidence screenshot beside the first', () => {
  test('-evidence before the extension, or .png added', () => {
    expect(evidenceScreenshotPath('/r/report-in-browser.png')).toBe(
      '/r/report-in-browser-evidence.png',
    );
    expect(evidenceScreenshotPath('/tmp/a.b/shot.PNG')).toBe('/tmp/a.b/shot-evidence.PNG');
    expect(evidenceScreenshotPath('/tmp/a.b/shot')).toBe('/tmp/a.b/shot-evidence.png');
    expect(dumpScreenshotPath('/r/report-in-browser.png')).toBe('/r/report-in-browser-dump.png');
  });
});

describe('screenshotPlan', () => {
  const base = { path: '/r/x.png', windowHeight: 1000, maxHeight: 4000 };

  test('all of it fits: one screenshot from the top, the window no shorter than usual', () => {
    expect(screenshotPlan({ ...base, toShowAll: 1933.2, evidence: 400 })).toEqual([
      { path: '/r/x.png', height: 1934, view: 'top' },
    ]);
    expect(screenshotPlan({ ...base, toShowAll: 640, evidence: 300 })).toEqual([
      { path: '/r/x.png', height: 1000, view: 'top' },
    ]);
    expect(screenshotPlan({ ...base, toShowAll: 4000, evidence: 300 })).toEqual([
      { path: '/r/x.png', height: 4000, view: 'top' },
    ]);
  });

  test('a long failure message: the top in the usual window, then the evidence', () => {
    expect(screenshotPlan({ ...base, toShowAll: 9377, evidence: 320 })).toEqual([
      { path: '/r/x.png', height: 1000, view: 'top' },
      { path: '/r/x-evidence.png', height: 1000, view: 'evidence' },
    ]);
    // a tall attachment gets a taller window, up to the limit
    expect(screenshotPlan({ ...base, toShowAll: 9377, evidence: 2500 })[1]).toEqual({
      path: '/r/x-evidence.png',
      height: 2500,
      view: 'evidence',
    });
    expect(screenshotPlan({ ...base, toShowAll: 9377, evidence: 12_000 })[1]?.height).toBe(4000);
  });

  test("the state dump open: one more, of the dump's start in the usual window", () => {
    expect(screenshotPlan({ ...base, toShowAll: 1933, evidence: 400, dump: true })).toEqual([
      { path: '/r/x.png', height: 1933, view: 'top' },
      { path: '/r/x-dump.png', height: 1000, view: 'dump' },
    ]);
    expect(
      screenshotPlan({ ...base, toShowAll: 9377, evidence: 320, dump: true }).map((s) => s.view),
    ).toEqual(['top', 'evidence', 'dump']);
  });

  test('no attachment open (the check or its evidence missing): the page as it is', () => {
    expect(screenshotPlan({ ...base, toShowAll: null, evidence: null })).toEqual([
      { path: '/r/x.png', height: 1000, view: 'top' },
    ]);
  });
});

test('what a screenshot shows, as printed', () => {
  expect(describeShown(['title', 'status', 'message', 'attachment'])).toBe(
    'title, status, message, evidence',
  );
  expect(describeShown(['attachment'])).toBe('evidence');
  expect(describeShown(['dump'])).toBe('state dump');
  expect(describeShown([])).toBe('none of title, status, message, evidence, state dump');
});
