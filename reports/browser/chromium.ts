/**
 * Headless Chromium for looking at a report, driven by playwright-core (which brings no browser
 * of its own: it starts the machine's). Playwright starts it headless with a fresh profile
 * directory (removed on close), no sandbox (root), no first run, background networking, component
 * updates or extensions, and ends its whole process group on close and when this process exits.
 * The flags below add: no GPU, no pings, and no way to reach the network (every proxied request
 * goes to a closed port on 127.0.0.1, every host name fails to resolve). Every request the page
 * makes is recorded, so a caller can tell whether it tried to leave the machine.
 *
 * The binary is Debian's Chromium (`/usr/lib/chromium/chromium`, the program behind the
 * `/usr/bin/chromium` launcher script, which would add flags and Google service keys of its own),
 * else `chromium` on the PATH, or whatever KNC_CHROMIUM names.
 */
import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { which } from 'zx';
import type { CleanupStack } from '../../helpers/cleanup.ts';
import { withDeadline } from '../../helpers/deadline.ts';
import { messageOf, SetupError } from '../../helpers/errors.ts';
import { timeout } from '../../helpers/timeouts.ts';

/** Where Debian's chromium package puts the browser itself. */
const debianChromium = '/usr/lib/chromium/chromium';

/** The flags added to playwright's own: no GPU, no pings, the network closed. */
export const chromiumArgs: readonly string[] = [
  '--disable-gpu',
  '--no-pings',
  '--proxy-server=127.0.0.1:9',
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

/** One page of a running headless Chromium. */
export interface BrowserPage {
  readonly page: Page;
  /** Every URL the page requested so far, in order. */
  readonly requestedUrls: readonly string[];
  /** Uncaught exceptions of the page's scripts so far. */
  readonly scriptErrors: readonly string[];
  /** Closes the browser (its processes end, its profile is removed); safe to call twice. */
  close(): Promise<void>;
}

/** Options of {@link openBrowserPage}. */
export interface OpenOptions {
  /** Width and height of the page in CSS pixels. */
  readonly window: { readonly width: number; readonly height: number };
  /** Receives a line when the browser starts and stops. */
  readonly log: (line: string) => void;
  /** Where to register the browser's close, for interrupted runs. */
  readonly cleanup?: CleanupStack;
}

/** The Chromium to start: KNC_CHROMIUM, Debian's binary, or `chromium` on the PATH. */
export async function chromiumBinary(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const named = env.KNC_CHROMIUM;
  if (named !== undefined && named !== '') {
    if (existsSync(named)) return named;
    throw new SetupError(
      `KNC_CHROMIUM names ${named}, which does not exist`,
      "set KNC_CHROMIUM to the path of a Chromium or Chrome binary, or unset it to use Debian's chromium",
    );
  }
  if (existsSync(debianChromium)) return debianChromium;
  const onPath = await which('chromium', { nothrow: true, path: env.PATH ?? '' });
  if (onPath !== null) return onPath;
  throw new SetupError(
    'looking at the report in a browser needs Chromium, and none was found',
    'install it: sudo apt-get install -y chromium (clusters/host/prepare.sh does), or set KNC_CHROMIUM to a Chromium or Chrome binary',
  );
}

/**
 * Starts headless Chromium (within the `browserStart` deadline) and opens a page of
 * `options.window` CSS pixels whose actions are bounded by the `browserCommand` deadline.
 * @throws {SetupError} when there is no Chromium, or it does not start.
 */
export async function openBrowserPage(options: OpenOptions): Promise<BrowserPage> {
  const executablePath = await chromiumBinary();
  const browser = await chromium
    .launch({
      executablePath,
      args: [...chromiumArgs],
      timeout: timeout('browserStart'),
      // Interruptions go through the cleanup stack, which closes the browser.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    })
    .catch((error: unknown) => {
      throw new SetupError(
        `Chromium ${executablePath} did not start: ${messageOf(error)}`,
        "install Debian's chromium (sudo apt-get install -y chromium), or set KNC_CHROMIUM to a Chromium or Chrome binary that starts",
        { cause: error },
      );
    });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= withDeadline(`Chromium ${executablePath} to close`, timeout('browserStop'), () =>
      browser.close(),
    ).then(() => {
      options.log(`chromium ${executablePath} closed, its profile removed`);
    });
    return closed;
  };
  options.cleanup?.defer('chromium and its profile', close);
  options.log(`chromium ${browser.version()} headless (${executablePath})`);
  try {
    const page = await browser.newPage({ viewport: options.window, deviceScaleFactor: 1 });
    page.setDefaultTimeout(timeout('browserCommand'));
    const requestedUrls: string[] = [];
    const scriptErrors: string[] = [];
    page.on('request', (request) => requestedUrls.push(request.url()));
    page.on('pageerror', (error) => scriptErrors.push(error.stack ?? error.message));
    return { page, requestedUrls, scriptErrors, close };
  } catch (error) {
    await close();
    throw error;
  }
}
