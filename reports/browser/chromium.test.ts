import { describe, expect, test } from '@jest/globals';
import { SetupError } from '../../helpers/errors.ts';
import { chromiumArgs, chromiumBinary, devToolsAddress } from './chromium.ts';

describe('chromiumArgs', () => {
  const args = chromiumArgs('/tmp/knc-chromium-x', { width: 1200, height: 800 });

  test('headless as root, with a profile of its own and DevTools on a free port', () => {
    expect(args).toEqual(
      expect.arrayContaining([
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--user-data-dir=/tmp/knc-chromium-x',
        '--remote-debugging-port=0',
        '--window-size=1200,800',
      ]),
    );
  });

  test('closes the network: no background traffic, a dead proxy, no name resolution', () => {
    expect(args).toEqual(
      expect.arrayContaining([
        '--disable-background-networking',
        '--proxy-server=127.0.0.1:9',
        '--host-resolver-rules=MAP * ~NOTFOUND',
      ]),
    );
    expect(args.at(-1)).toBe('about:blank');
  });
});

describe('devToolsAddress', () => {
  test("reads the address from Chromium's stderr, among its other lines", () => {
    const stderr =
      '[1123/140102.123:ERROR:bus.cc(407)] Failed to connect to the bus\n\n' +
      'DevTools listening on ws://127.0.0.1:38427/devtools/browser/207eb637-71b5\n';
    expect(devToolsAddress(stderr)).toBe('ws://127.0.0.1:38427/devtools/browser/207eb637-71b5');
  });

  test('is undefined until the line is complete', () => {
    expect(devToolsAddress('')).toBeUndefined();
    expect(devToolsAddress('DevTools listening on ')).toBeUndefined();
  });
});

describe('chromiumBinary', () => {
  test('KNC_CHROMIUM wins', async () => {
    await expect(chromiumBinary({ KNC_CHROMIUM: '/opt/chrome/chrome' })).resolves.toBe(
      '/opt/chrome/chrome',
    );
  });

  test('names the package to install when there is none', async () => {
    const found = await chromiumBinary({ PATH: '/nonexistent' }).catch((e: unknown) => e);
    if (typeof found === 'string') return; // Debian's Chromium is installed on this machine
    expect(found).toBeInstanceOf(SetupError);
    expect((found as SetupError).fix).toContain('apt-get install -y chromium');
  });
});
