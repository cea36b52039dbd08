import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from '@jest/globals';
import { markCheckFailures } from './failed-status.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test("a check's verdict is failed; a set-up error and jest's timeout stay broken", () => {
  dir = mkdtempSync(join(tmpdir(), 'knc-allure-'));
  const results = {
    verdict: {
      status: 'broken',
      statusDetails: { message: 'expected A records', trace: 'CheckFailure: expected A records' },
    },
    setUp: {
      status: 'broken',
      statusDetails: { message: 'set-up of dns failed', trace: 'Error: set-up of dns failed' },
    },
    jestTimeout: {
      status: 'broken',
      statusDetails: { message: 'Exceeded timeout of 5000 ms for a test.' },
    },
    passed: { status: 'passed', statusDetails: {} },
  };
  for (const [name, result] of Object.entries(results))
    writeFileSync(join(dir, `${name}-result.json`), JSON.stringify(result));
  writeFileSync(join(dir, 'categories.json'), '[]');
  expect(markCheckFailures(dir)).toBe(1);
  const status = (name: string): unknown =>
    (JSON.parse(readFileSync(join(dir ?? '', `${name}-result.json`), 'utf8')) as { status: string })
      .status;
  expect(status('verdict')).toBe('failed');
  expect(status('setUp')).toBe('broken');
  expect(status('jestTimeout')).toBe('broken');
  expect(status('passed')).toBe('passed');
});
