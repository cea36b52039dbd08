/**
 * Which screenshots of a failed check to take, and how tall the window is for each. Pure, so the
 * choice is tested without a browser; report-in-browser.ts takes them.
 *
 * One picture when the window can be made tall enough (up to a limit) to show the result pane
 * from the check's title down to the end of the opened attachment. When it cannot (a failure
 * message of many retry rounds pushes the evidence thousands of pixels down), two: the top of the
 * pane (title, status, the start of the failure message) in a window of the usual height, and the
 * opened attachment scrolled to the top of the pane, saved beside the first as `…-evidence.png`.
 * When the area's state dump is open too, one more: the dump scrolled to the top of the pane in a
 * window of the usual height (its header and first sections), saved as `…-dump.png`.
 */
import { extname } from 'node:path';

/** A part of a failed check's result that a person must see (the keys of SeenView). */
export type ViewPart = 'title' | 'status' | 'message' | 'attachment' | 'dump';

/** A screenshot saved, and the parts of the check that were in view in it. */
export interface Screenshot {
  readonly path: string;
  readonly shows: readonly ViewPart[];
}

/**
 * One screenshot to take: where, how tall the window, and what to scroll to first (`top`: the
 * result pane at its top; `evidence`: the opened attachment at the top of the pane; `dump`: the
 * opened state dump at the top of the pane).
 */
export interface ScreenshotStep {
  readonly path: string;
  readonly height: number;
  readonly view: 'top' | 'evidence' | 'dump';
}

/** `path` with `-<suffix>` before its extension (or `.png` added). */
function besides(path: string, suffix: string): string {
  const ext = extname(path);
  return ext === '' ? `${path}-${suffix}.png` : `${path.slice(0, -ext.length)}-${suffix}${ext}`;
}

/** The path of the evidence screenshot beside `path`: `x.png` → `x-evidence.png`. */
export function evidenceScreenshotPath(path: string): string {
  return besides(path, 'evidence');
}

/** The path of the state dump's screenshot beside `path`: `x.png` → `x-dump.png`. */
export function dumpScreenshotPath(path: string): string {
  return besides(path, 'dump');
}

/**
 * The screenshots to take. `toShowAll`: the window height that shows the pane from its top to the
 * end of the opened attachment; `evidence`: the height that shows the attachment (row and
 * content) whole; both null when no attachment is open (then only the page as it is, from the
 * top). Heights are never below the usual window's, nor above `maxHeight`. `dump`: whether the
 * state dump is open (one more screenshot, of its start).
 */
export function screenshotPlan(options: {
  readonly path: string;
  readonly windowHeight: number;
  readonly maxHeight: number;
  readonly toShowAll: number | null;
  readonly evidence: number | null;
  readonly dump?: boolean;
}): ScreenshotStep[] {
  const { path, windowHeight, maxHeight, toShowAll, evidence } = options;
  const clamp = (h: number): number => Math.min(maxHeight, Math.max(windowHeight, Math.ceil(h)));
  const dump: ScreenshotStep[] =
    options.dump === true
      ? [{ path: dumpScreenshotPath(path), height: windowHeight, view: 'dump' }]
      : [];
  if (toShowAll === null) return [{ path, height: windowHeight, view: 'top' }, ...dump];
  if (toShowAll <= maxHeight) return [{ path, height: clamp(toShowAll), view: 'top' }, ...dump];
  return [
    { path, height: windowHeight, view: 'top' },
    {
      path: evidenceScreenshotPath(path),
      height: clamp(evidence ?? windowHeight),
      view: 'evidence',
    },
    ...dump,
  ];
}

/** The parts a screenshot shows, as printed: "title, status, message, evidence". */
export function describeShown(shows: readonly ViewPart[]): string {
  const names: Record<ViewPart, string> = {
    title: 'title',
    status: 'status',
    message: 'message',
    attachment: 'evidence',
    dump: 'state dump',
  };
  return shows.length === 0
    ? 'none of title, status, message, evidence, state dump'
    : shows.map((p) => names[p]).join(', ');
}
