import { Script, runInNewContext } from 'node:vm';
import { expect, test } from '@jest/globals';
import * as ui from './allure-ui.ts';

// The expressions run in the page; without a browser, at least each must be valid JavaScript with
// its arguments embedded as literals (quotes, backslashes and template text escaped right).
test('every page expression parses, with awkward names embedded literally', () => {
  const name = 'pod "client" → http://x/ (round 1): `curl` \\ ${oops}';
  const expressions = [
    ui.suiteNames(),
    ui.openSuite(name),
    ui.checksOfSuite(name),
    ui.openCheck(name, name),
    ui.resultShown(name),
    ui.attachmentNames(),
    ui.openAttachment(name),
    ui.attachmentText(name),
    ui.heightToShow(name),
    ui.evidenceHeight(name),
    ui.scrollResultToTop(),
    ui.revealAttachment(name),
    ui.seenView(name),
    ui.partsInView(name),
  ];
  for (const expression of expressions) {
    expect(() => new Script(expression)).not.toThrow();
    expect(expression).toContain('const onScreen = ');
  }
  expect(ui.seenView(name)).toContain(JSON.stringify(name));
});

test('the text normaliser of the page collapses whitespace as the judge does', () => {
  const line = /const norm = [^\n]+/.exec(ui.suiteNames())?.[0] ?? '';
  const norm = runInNewContext(`${line}; norm`) as (s: string | undefined) => string;
  expect(norm('  a\n\tb  c ')).toBe('a b c');
  expect(norm(undefined)).toBe('');
});
