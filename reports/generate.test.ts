import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { SetupError } from '../helpers/errors.ts';
import { annotateSkipped, clearPreviousResults, requireJava } from './generate.ts';
import { reportMarker } from './report-dir.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test("a skipped check's Allure result gets its title, reason and check id back", () => {
  dir = mkdtempSync(join(tmpdir(), 'knc-allure-'));
  const file = join(dir, 'a-result.json');
  const passed = join(dir, 'b-result.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'IPVS: rules (skipped: not ipvs)',
      status: 'skipped',
      statusDetails: {},
      labels: [{ name: 'parentSuite', value: 'kube-proxy' }],
    }),
  );
  const passedText = JSON.stringify({ name: 'IPVS: rules (skipped: not ipvs)', status: 'passed' });
  writeFileSync(passed, passedText);
  annotateSkipped(dir, [
    {
      id: 'kube-proxy/ipvs-rules',
      area: 'kube-proxy',
      title: 'IPVS: rules',
      testName: 'IPVS: rules (skipped: not ipvs)',
      skipReason: 'not ipvs',
    },
  ]);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
    name: 'IPVS: rules',
    status: 'skipped',
    statusDetails: { message: 'not ipvs' },
    labels: [
      { name: 'parentSuite', value: 'kube-proxy' },
      { name: 'checkId', value: 'kube-proxy/ipvs-rules' },
      { name: 'area', value: 'kube-proxy' },
    ],
  });
  expect(readFileSync(passed, 'utf8')).toBe(passedText);
});

test("right before the suites, the previous run's results go; its HTML and others' files stay", () => {
  dir = mkdtempSync(join(tmpdir(), 'knc-clear-'));
  clearPreviousResults(dir);
  expect(readdirSync(dir)).toEqual([reportMarker]);
  for (const sub of ['allure-results', 'checks', 'observations', 'html']) mkdirSync(join(dir, sub));
  for (const file of [
    'junit.xml',
    'summary.json',
    'jest-results.json',
    'finished-checks.jsonl',
    'notes.txt',
  ])
    writeFileSync(join(dir, file), 'x');
  writeFileSync(join(dir, 'checks', 'dns.json'), '[]');
  clearPreviousResults(dir);
  expect(readdirSync(dir).sort()).toEqual([reportMarker, 'html', 'notes.txt']);

  const user = join(dir, 'user');
  mkdirSync(user);
  writeFileSync(join(user, 'summary.json'), 'mine');
  expect(() => {
    clearPreviousResults(user);
  }).toThrow(SetupError);
  expect(readFileSync(join(user, 'summary.json'), 'utf8')).toBe('mine');
});

describe('requireJava', () => {
  test('passes where java runs', async () => {
    await expect(requireJava()).resolves.toBeUndefined();
  });

  test('names the package to install when there is no java on the PATH', async () => {
    const error = await requireJava({ PATH: '/nonexistent' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).fix).toContain('apt-get install -y default-jre-headless');
  });

  test('blames JAVA_HOME when it points nowhere', async () => {
    const error = await requireJava({ ...process.env, JAVA_HOME: '/nonexistent' }).catch(
      (e: unknown) => e,
    );
    expect((error as SetupError).message).toContain('/nonexistent/bin/java -version');
    expect((error as SetupError).fix).toContain('JAVA_HOME');
  });
});
