import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildCommit, buildInfoFile } from './version.ts';

describe('buildCommit', () => {
  const base = mkdtempSync(join(tmpdir(), 'knc-version-'));
  const folder = (name: string, buildInfo?: string): string => {
    const dir = join(base, name);
    mkdirSync(dir);
    if (buildInfo !== undefined) writeFileSync(join(dir, buildInfoFile), buildInfo);
    return dir;
  };

  it('reads the commit a package was packed from', async () => {
    await expect(buildCommit(folder('packed', '{"commit": "1a2b3c4"}\n'))).resolves.toBe('1a2b3c4');
  });

  it.each([
    ['no-info', undefined],
    ['empty', ''],
    ['blank-commit', '{"commit": ""}'],
    ['not-a-string', '{"commit": 7}'],
  ])('is "unknown" without a usable build-info.json (%s)', async (name, info) => {
    await expect(buildCommit(folder(name, info))).resolves.toBe('unknown');
  });

  it('asks git in a checkout, even when a build-info.json lies around', async () => {
    const dir = folder('checkout', '{"commit": "1a2b3c4"}');
    writeFileSync(join(dir, '.git'), 'gitdir: /nonexistent\n');
    await expect(buildCommit(dir)).resolves.toBe('unknown');
  });
});
