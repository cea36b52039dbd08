/**
 * Headless Chromium for looking at a report: started with a fresh profile directory, DevTools on
 * a port of 127.0.0.1 chosen by Chromium (read back from the "DevTools listening on ws://…" line
 * of its stderr), and no way to reach the network (every proxied request goes to a closed port on
 * 127.0.0.1, every host name fails to resolve, no background services). {@link Chromium.stop}
 * ends its whole process group and removes the profile; it is registered on a cleanup stack when
 * one is given, so an interrupted run does not leave a browser behind.
 *
 * The binary is Debian's Chromium (`/usr/lib/chromium/chromium`, the program behind the
 * `/usr/bin/chromium` launcher script, which would add flags and Google service keys of its own),
 * else `chromium` on the PATH, or whatever KNC_CHROMIUM names.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CleanupStack } from '../../helpers/cleanup.ts';
import { messageOf, SetupError } from '../../helpers/errors.ts';
import { poll } from '../../helpers/poll.ts';
import { onPath } from '../../helpers/shell.ts';

/** Where Debian's chromium package puts the browser itself. */
const debianChromium = '/usr/lib/chromium/chromium';

/** A running headless Chromium. */
export interface Chromium {
  /** The browser's DevTools address, `ws://127.0.0.1:<port>/devtools/browser/<id>`. */
  readonly webSocketUrl: string;
  /** The browser process (leader of its own process group). */
  readonly pid: number;
  /** Ends the browser's processes and removes its profile directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link launchChromium}. */
export interface LaunchOptions {
  /** Width and height of the window in CSS pixels (default 1600×1000). */
  readonly window?: { readonly width: number; readonly height: number };
  /** Receives a line when the browser starts and stops. */
  readonly log?: (line: string) => void;
  /** Where to register the browser's stop, for interrupted runs. */
  readonly cleanup?: CleanupStack;
  /** The environment (KNC_CHROMIUM), replaced in tests. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The command-line flags: headless as root (no sandbox), no GPU, no /dev/shm (small in
 * containers), no first-run or background networking, DevTools on a free port, and the network
 * closed (a proxy on a closed port of 127.0.0.1, host names that never resolve).
 */
export function chromiumArgs(
  profileDir: string,
  window: { readonly width: number; readonly height: number } = { width: 1600, height: 1000 },
): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-sync',
    '--disable-breakpad',
    '--no-first-run',
    '--no-default-browser-check',
    '--no-pings',
    '--mute-audio',
    '--hide-scrollbars',
    '--proxy-server=127.0.0.1:9',
    '--host-resolver-rules=MAP * ~NOTFOUND',
    '--remote-debugging-port=0',
    `--user-data-dir=${profileDir}`,
    `--window-size=${window.width},${window.height}`,
    '--force-device-scale-factor=1',
    'about:blank',
  ];
}

/** The DevTools address in Chromium's stderr ("DevTools listening on ws://…"), if printed yet. */
export function devToolsAddress(stderr: string): string | undefined {
  return /^DevTools listening on (ws:\/\/\S+)\s*$/m.exec(stderr)?.[1];
}

/** The Chromium to start: KNC_CHROMIUM, Debian's binary, or `chromium` on the PATH. */
export async function chromiumBinary(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.KNC_CHROMIUM !== undefined && env.KNC_CHROMIUM !== '') return env.KNC_CHROMIUM;
  if (existsSync(debianChromium)) return debianChromium;
  if (await onPath('chromium')) return 'chromium';
  throw new SetupError(
    'looking at the report in a browser needs Chromium, and none was found',
    'install it: sudo apt-get install -y chromium (clusters/host/prepare.sh does), or set KNC_CHROMIUM to a Chromium or Chrome binary',
  );
}

/** Starts headless Chromium; resolves once its DevTools address is known. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Chromium> {
  const binary = await chromiumBinary(options.env);
  const profileDir = mkdtempSync(join(tmpdir(), 'knc-chromium-'));
  const child = spawn(binary, chromiumArgs(profileDir, options.window), {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let exit: string | undefined;
  let spawnError: string | undefined;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    // Only the start matters (the DevTools line, or why it did not start); keep it bounded.
    if (stderr.length < 64_000) stderr += chunk;
  });
  child.on('exit', (code, signal) => {
    exit = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
  });
  child.on('error', (error) => {
    spawnError = error.message;
    exit ??= 'not started';
  });
  const pid = child.pid;

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      const stopping = performance.now();
      if (pid !== undefined && exit === undefined) {
        signalGroup(pid, 'SIGTERM');
        try {
          await poll({
            what: `Chromium (pid ${String(pid)}) to exit after SIGTERM`,
            deadline: 'browserStop',
            intervalMs: 100,
            attempt: () => Promise.resolve({ done: exit !== undefined, state: exit ?? 'running' }),
          });
        } catch {
          options.log?.(`chromium pid ${String(pid)} ignored SIGTERM; killing its process group`);
        }
      }
      // Renderers and helpers share the browser's process group; none may outlive it, nor write
      // into the profile while it is removed.
      if (pid !== undefined && signalGroup(pid, 'SIGKILL')) {
        await poll({
          what: `the processes of Chromium's group ${String(pid)} to end after SIGKILL`,
          deadline: 'browserStop',
          intervalMs: 100,
          attempt: () => Promise.resolve({ done: !signalGroup(pid, 0), state: 'alive' }),
        }).catch((error: unknown) => {
          options.log?.(messageOf(error));
        });
      }
      rmSync(profileDir, { recursive: true, force: true, maxRetries: 3 });
      const took = ((performance.now() - stopping) / 1000).toFixed(1);
      options.log?.(
        `chromium pid ${String(pid ?? '-')} stopped in ${took} s, profile ${profileDir} removed`,
      );
    })();
    return stopped;
  };
  options.cleanup?.defer(`chromium pid ${String(pid ?? '-')} and its profile`, stop);

  try {
    const found = await poll({
      what: `Chromium (${binary}) to print its DevTools address`,
      deadline: 'browserStart',
      intervalMs: 100,
      attempt: () => {
        const address = devToolsAddress(stderr);
        return Promise.resolve({
          done: address !== undefined || exit !== undefined,
          state: address,
          summary: exit ?? lastLine(stderr),
        });
      },
    });
    if (found === undefined || pid === undefined) {
      throw new Error(
        `Chromium (${binary}) ended before it printed its DevTools address (${spawnError ?? exit ?? 'no pid'}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
      );
    }
    options.log?.(`chromium pid ${String(pid)} headless, DevTools at ${found}`);
    return { webSocketUrl: found, pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Sends `signal` (0: none, a test) to the process group led by `pid`; false when the group is
 * gone.
 */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** The last line Chromium wrote on stderr, for a timeout message. */
function lastLine(stderr: string): string {
  const line = stderr.trim().split('\n').at(-1) ?? '';
  return line === '' ? 'nothing on stderr yet' : line;
}
