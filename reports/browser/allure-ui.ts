/**
 * The JavaScript run inside the Allure 2 report page (through Runtime.evaluate) to read and click
 * what a person would: the suites tree (one group per area, one leaf per check), a check's result
 * pane (title, status label, failure message), and its evidence attachments, which open inline
 * when their row is clicked. Each function returns an expression; its arguments are embedded as
 * JSON. An expression that waits for something yields null until it is there (see
 * BrowserPage.waitFor).
 *
 * The selectors are Allure 2's own class names (allure-commandline 2.x); if an upgrade renames
 * them, the browser check fails saying which part of the page it could not find.
 */

/** Helpers every expression starts with: text normalisation, "a person can see it", lookups. */
const prelude = `
const norm = (s) => (s ?? '').replace(/\\s+/g, ' ').trim();
const onScreen = (el) => {
  if (!el) return false;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return false;
  const r = el.getBoundingClientRect();
  const x0 = Math.max(r.left, 0), x1 = Math.min(r.right, innerWidth);
  const y0 = Math.max(r.top, 0), y1 = Math.min(r.bottom, innerHeight);
  if (x1 - x0 < 2 || y1 - y0 < 2) return false;
  const hit = document.elementFromPoint((x0 + x1) / 2, (y0 + y1) / 2);
  return hit !== null && (hit === el || el.contains(hit) || hit.contains(el));
};
const seen = (el) => (el ? { text: el.innerText ?? el.textContent ?? '', visible: onScreen(el) } : undefined);
const groupNamed = (name) => [...document.querySelectorAll('.node[data-node-kind="group"]')]
  .find((g) => norm(g.querySelector(':scope > .node__title .node__name')?.textContent) === name);
const result = () => document.querySelector('.test-result');
const attachmentRow = (name) => [...(result()?.querySelectorAll('.attachment-row') ?? [])]
  .find((r) => norm(r.querySelector('.attachment-row__name')?.textContent) === name);
const previewOf = (row) => row?.parentElement?.querySelector(':scope > .attachment-row__preview .attachment-preview__text');
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
 * window must be to show the pane from its top down to the end of the opened attachment `name`.
 */
export function heightToShow(name: string): string {
  return expression(`
for (let el = result(); el; el = el.parentElement) if (el.scrollTop > 0) el.scrollTop = 0;
const preview = previewOf(attachmentRow(${JSON.stringify(name)}));
return preview ? Math.ceil(preview.getBoundingClientRect().bottom + 24) : null;`);
}

/** Scrolls the opened attachment `name` into view if it is not (a window too short for all). */
export function revealAttachment(name: string): string {
  return expression(`
const preview = previewOf(attachmentRow(${JSON.stringify(name)}));
if (preview && !onScreen(preview)) preview.scrollIntoView({ block: 'end' });
return true;`);
}

/** What the result pane shows of the check and the attachment `name` (see SeenView). */
export function seenView(name: string): string {
  return expression(`
const pane = result();
return {
  title: seen(pane?.querySelector('.test-result__name')),
  status: seen(pane?.querySelector('.test-result__status')),
  message: seen(pane?.querySelector('.test-result-overview .status-details__message')),
  attachment: seen(previewOf(attachmentRow(${JSON.stringify(name)}))),
  attachments: [...(pane?.querySelectorAll('.attachment-row__name') ?? [])].map((e) => norm(e.textContent)),
};`);
}
