/**
 * The JavaScript run inside the Allure 2 report page (playwright's page.evaluate) to read and click
 * what a person would: the suites tree (one group per area, one leaf per check), a check's result
 * pane (title, status label, failure message), and its evidence attachments, which open inline
 * when their row is clicked. Each function returns an expression; its arguments are embedded as
 * JSON. An expression that waits for something yields null until it is there (see waitFor in
 * report-in-browser.ts).
 *
 * The selectors are Allure 2's own class names (allure-commandline 2.x); if an upgrade renames
 * them, the browser check fails saying which part of the page it could not find.
 */

/**
 * Helpers every expression starts with: text normalisation, lookups of the result pane's parts,
 * "a person can see it" and "scroll it into view".
 *
 * `onScreen` asks what a person would: is the element's start (its first line: where reading
 * begins) inside the window and inside every ancestor that clips it (the scrolled pane), and is it
 * the element (or a child of it), not something on top of it, that is drawn there: an ancestor
 * answering there counts as covering, as when its pseudo-element lies over the element. `reveal`
 * scrolls an element into view in each of its scroll containers: centred when it fits, else its
 * start at the top. `look` reveals a part and reads it; when it is not visible so, its start is
 * tried a third of the way down its scroll container too (under a header stuck over the top).
 */
const prelude = `
const norm = (s) => (s ?? '').replace(/\\s+/g, ' ').trim();
const clipOf = (el) => {
  const c = { top: 0, left: 0, bottom: innerHeight, right: innerWidth };
  for (let a = el.parentElement; a; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
    const r = a.getBoundingClientRect();
    c.top = Math.max(c.top, r.top); c.left = Math.max(c.left, r.left);
    c.bottom = Math.min(c.bottom, r.bottom); c.right = Math.min(c.right, r.right);
  }
  return c;
};
const onScreen = (el) => {
  if (!el || !el.isConnected) return false;
  if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
  const r = el.getBoundingClientRect();
  const c = clipOf(el);
  const x0 = Math.max(r.left, c.left), x1 = Math.min(r.right, c.right);
  if (x1 - x0 < 2 || r.height < 2 || r.top < c.top - 1 || r.top > c.bottom - 4) return false;
  const y = Math.min(r.top + Math.min(r.height, 16) / 2, c.bottom - 1);
  const hit = document.elementFromPoint((x0 + x1) / 2, y);
  return hit !== null && (hit === el || el.contains(hit));
};
const reveal = (el) => {
  if (!el) return;
  const c = clipOf(el);
  const fits = el.getBoundingClientRect().height <= c.bottom - c.top - 16;
  el.scrollIntoView({ block: fits ? 'center' : 'start', inline: 'nearest', behavior: 'instant' });
};
const scrollerOf = (el) => {
  for (let a = el.parentElement; a; a = a.parentElement) {
    if (a.scrollHeight > a.clientHeight && /auto|scroll/.test(getComputedStyle(a).overflowY)) return a;
  }
  return document.scrollingElement;
};
const seen = (el) => (el ? { text: el.innerText ?? el.textContent ?? '', visible: onScreen(el) } : undefined);
const look = (box, el) => {
  reveal(box);
  if (box && el && !onScreen(el)) {
    box.scrollIntoView({ block: 'start', inline: 'nearest', behavior: 'instant' });
    const c = clipOf(box);
    scrollerOf(box)?.scrollBy({ top: -(c.bottom - c.top) / 3, behavior: 'instant' });
  }
  return seen(el);
};
const groupNamed = (name) => [...document.querySelectorAll('.node[data-node-kind="group"]')]
  .find((g) => norm(g.querySelector(':scope > .node__title .node__name')?.textContent) === name);
const result = () => document.querySelector('.test-result');
const attachmentRow = (name) => [...(result()?.querySelectorAll('.attachment-row') ?? [])]
  .find((r) => norm(r.querySelector('.attachment-row__name')?.textContent) === name);
const previewOf = (row) => row?.parentElement?.querySelector(':scope > .attachment-row__preview .attachment-preview__text');
const partsOf = (name) => {
  const pane = result();
  const row = attachmentRow(name);
  const attachment = previewOf(row) ?? undefined;
  return {
    title: pane?.querySelector('.test-result__name') ?? undefined,
    status: pane?.querySelector('.test-result__status') ?? undefined,
    message: pane?.querySelector('.test-result-overview .status-details__message') ?? undefined,
    attachment,
    attachmentBox: attachment ? row.parentElement : undefined,
  };
};
const toTop = () => {
  for (let el = result(); el; el = el.parentElement) if (el.scrollTop > 0) el.scrollTop = 0;
};
`;

/** Wraps a body (statements ending in `return`) into an expression with the helpers. */
function expression(body: string): string {
  return `(() => {${prelude}\n${body}\n})()`;
}

/** The names of the suites (areas) in the tree, or null until the tree is drawn. */
export function suiteNames(): string {
  return expression(`
const names = [...document.querySelectorAll('.node[data-node-kind="group"] > .node__title .node__name')]
  .map((e) => norm(e.textContent));
return names.length > 0 ? names : null;`);
}

/** Clicks the suite `area` open unless it is open; true when the suite is there. */
export function openSuite(area: string): string {
  return expression(`
const group = groupNamed(${JSON.stringify(area)});
if (!group) return false;
if (!group.classList.contains('node__expanded')) group.querySelector(':scope > .node__title').click();
return true;`);
}

/** The checks listed under the open suite `area` (title and status icon), or null until drawn. */
export function checksOfSuite(area: string): string {
  return expression(`
const leaves = [...(groupNamed(${JSON.stringify(area)})?.querySelectorAll('a.node__leaf') ?? [])];
if (leaves.length === 0) return null;
return leaves.map((a) => ({
  title: norm(a.querySelector('.node__name')?.textContent),
  status: /status-icon_status_(\\w+)/.exec(a.querySelector('.status-icon')?.getAttribute('class') ?? '')?.[1] ?? 'unknown',
}));`);
}

/** Clicks the check titled `title` under suite `area`; true when it was there. */
export function openCheck(area: string, title: string): string {
  return expression(`
const leaf = [...(groupNamed(${JSON.stringify(area)})?.querySelectorAll('a.node__leaf') ?? [])]
  .find((a) => norm(a.querySelector('.node__name')?.textContent) === ${JSON.stringify(title)});
if (!leaf) return false;
leaf.click();
return true;`);
}

/** The title of the result pane once it shows the check titled `title`, else null. */
export function resultShown(title: string): string {
  return expression(`
const name = norm(result()?.querySelector('.test-result__name')?.textContent);
return name === ${JSON.stringify(title)} ? name : null;`);
}

/** The names of the attachments in the result pane. */
export function attachmentNames(): string {
  return expression(`
return [...(result()?.querySelectorAll('.attachment-row__name') ?? [])].map((e) => norm(e.textContent));`);
}

/** Clicks the attachment `name` open unless it is open; true when it is there. */
export function openAttachment(name: string): string {
  return expression(`
const row = attachmentRow(${JSON.stringify(name)});
if (!row) return false;
if (!previewOf(row)) row.click();
return true;`);
}

/** The text of the opened attachment `name`, or null until it is drawn. */
export function attachmentText(name: string): string {
  return expression(`
const preview = previewOf(attachmentRow(${JSON.stringify(name)}));
return preview ? preview.innerText : null;`);
}

/**
 * Scrolls every scrolled ancestor of the result pane back to its top and returns how tall the
 * window must be to show the pane from its top down to the end of the opened attachment `name`
 * (null when it is not open).
 */
export function heightToShow(name: string): string {
  return expression(`
toTop();
const preview = partsOf(${JSON.stringify(name)}).attachment;
return preview ? Math.ceil(preview.getBoundingClientRect().bottom + 24) : null;`);
}

/**
 * How tall the window must be to show the opened attachment `name` whole, its row and content,
 * once scrolled to the top of the pane (null when it is not open).
 */
export function evidenceHeight(name: string): string {
  return expression(`
const box = partsOf(${JSON.stringify(name)}).attachmentBox;
return box ? Math.ceil(box.getBoundingClientRect().height + 48) : null;`);
}

/** Scrolls every scrolled ancestor of the result pane back to its top (title first). */
export function scrollResultToTop(): string {
  return expression(`
toTop();
return true;`);
}

/**
 * Scrolls the opened attachment `name` (its row, then its content) to the top of its pane, or as
 * near as the pane scrolls; true when it is open.
 */
export function revealAttachment(name: string): string {
  return expression(`
const box = partsOf(${JSON.stringify(name)}).attachmentBox;
box?.scrollIntoView({ block: 'start', inline: 'nearest', behavior: 'instant' });
return box !== undefined;`);
}

/**
 * What the result pane shows of the check, the attachment `name` and the state dump attachment
 * `dump` (see SeenView): each part is scrolled into view in turn (title, status, message,
 * attachment, dump) and read right after, so a part counts as visible when a person who scrolls to
 * it sees it, however long the pane is.
 */
export function seenView(name: string, dump?: string): string {
  return expression(`
const parts = partsOf(${JSON.stringify(name)});
const dumpParts = partsOf(${JSON.stringify(dump ?? '')});
return {
  title: look(parts.title, parts.title),
  status: look(parts.status, parts.status),
  message: look(parts.message, parts.message),
  attachment: look(parts.attachmentBox, parts.attachment),
  dump: ${dump === undefined ? 'undefined' : 'look(dumpParts.attachmentBox, dumpParts.attachment)'},
  attachments: [...(result()?.querySelectorAll('.attachment-row__name') ?? [])].map((e) => norm(e.textContent)),
};`);
}

/**
 * Which parts of the check (see ViewPart) are in view as the page is now, without scrolling;
 * `dump` names the state dump attachment.
 */
export function partsInView(name: string, dump?: string): string {
  return expression(`
const parts = { ...partsOf(${JSON.stringify(name)}), dump: partsOf(${JSON.stringify(dump ?? '')}).attachment };
return ['title', 'status', 'message', 'attachment', 'dump'].filter((k) => onScreen(parts[k]));`);
}
