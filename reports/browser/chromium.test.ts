import { describe, expect, test } from '@jest/globals';
import { SetupError } from '../../helpers/errors.ts';
import { chromiumArgs, chromiumBinary } from './chromium.ts';

test('closes the network: no pings, a dead proxy, no name resolution', () => {
  expect(chromiumArgs).toEqual(
    expect.arrayContaining([
      '--no-pings',
      '--proxy-server=127.0.0.1:9',
      '--host-resolver-rules=MAP * ~NOTFOUND',
    ]),
  );
});

describe('chromiumBinary', () => {
  test('KNC_CHROMIUM wins', async () => {
    await expect(chromiumBinary({ KNC_CHROMIUM: process.execPath })).resolves.toBe(
      process.execPath,
    );
  });

  test('KNC_CHROMIUM naming nothing is an error naming the variable', async () => {
    const error = await chromiumBinary({ KNC_CHROMIUM: '/nonexistent/chrome' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).message).toContain('/nonexistent/chrome');
    expect((error as SetupError).fix).toContain('KNC_CHROMIUM');
  });

  test('names the package to install when there is none', async () => {
    const found = await chromiumBinary({ PATH: '/nonexistent' }).catch((e: unknown) => e);
    if (typeof found === 'string') return; // Debian's Chromium is installed on this machine
    expect(found).toBeInstanceOf(SetupError);
    expect((found as SetupError).fix).toContain('apt-get install -y chromium');
  });
});
