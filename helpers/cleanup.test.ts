import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CleanupError, CleanupStack, isNotFound } from './cleanup.ts';

describe('CleanupStack', () => {
  it('runs steps newest first and empties itself', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    for (const name of ['namespace', 'deployment', 'service']) {
      stack.defer(name, () => {
        order.push(name);
        return Promise.resolve();
      });
    }
    const report = await stack.runAll();
    expect(order).toEqual(['service', 'deployment', 'namespace']);
    expect(report).toEqual({ ran: ['service', 'deployment', 'namespace'], failed: [] });
    expect(stack.size).toBe(0);
  });

  it('keeps going after a failing step, then fails loudly naming it', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    stack.defer('first', () => {
      order.push('first');
      return Promise.resolve();
    });
    stack.defer('broken', () => Promise.reject(new Error('forbidden: cannot delete')));
    stack.defer('last', () => {
      order.push('last');
      return Promise.resolve();
    });
    const error = await stack.runAll().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleanupError);
    expect((error as CleanupError).message).toBe(
      'cleanup failed for 1 of 3 step(s):\n  - broken: forbidden: cannot delete',
    );
    expect(order).toEqual(['last', 'first']);
  });

  it('treats NotFound as already cleaned up', async () => {
    const stack = new CleanupStack();
    stack.defer('gone', () => Promise.reject(Object.assign(new Error('HTTP 404'), { code: 404 })));
    await expect(stack.runAll()).resolves.toEqual({ ran: ['gone'], failed: [] });
  });

  it('gives each step a fresh deadline and reports one that hangs', async () => {
    const stack = new CleanupStack({ stepBudgetMs: 50 });
    let aborted = false;
    stack.defer('ok', () => Promise.resolve());
    stack.defer('hangs', (signal) => {
      signal.addEventListener('abort', () => {
        aborted = true;
      });
      return new Promise<void>(() => undefined);
    });
    await expect(stack.runAll()).rejects.toThrow(
      /hangs: cleanup "hangs" did not finish within 0\.1 s/,
    );
    expect(aborted).toBe(true);
  });
});

describe('isNotFound', () => {
  it.each([
    [{ code: 404 }, true],
    [{ statusCode: 404 }, true],
    [{ code: 500, body: '{"kind":"Status","reason":"NotFound"}' }, true],
    [{ code: 403, body: { reason: 'Forbidden' } }, false],
    [new Error('boom'), false],
    ['string', false],
  ])('%p → %p', (error, expected) => {
    expect(isNotFound(error)).toBe(expected);
  });
});

describe('cleanupOnSignals', () => {
  it('runs the stack in reverse order on SIGINT and exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'knc-signal-'));
    const out = join(dir, 'order');
    const script = join(dir, 'child.ts');
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs';
import { CleanupStack, cleanupOnSignals } from ${JSON.stringify(new URL('./cleanup.ts', import.meta.url).pathname)};
const stack = new CleanupStack();
for (const n of ['a', 'b', 'c']) stack.defer(n, async () => { appendFileSync(${JSON.stringify(out)}, n); });
cleanupOnSignals(stack, () => undefined);
console.log('ready');
setInterval(() => undefined, 1000);
`,
    );
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) =>
      child.stdout.once('data', () => {
        resolve();
      }),
    );
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(readFileSync(out, 'utf8')).toBe('cba');
  });

  it('ends the run like a signal when its deadline passes, with the deadline exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'knc-deadline-'));
    const out = join(dir, 'order');
    const script = join(dir, 'child.ts');
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs';
import { CleanupStack, cleanupOnSignals } from ${JSON.stringify(new URL('./cleanup.ts', import.meta.url).pathname)};
const stack = new CleanupStack();
for (const n of ['a', 'b']) stack.defer(n, async () => { appendFileSync(${JSON.stringify(out)}, n); });
cleanupOnSignals(stack, () => undefined, {
  onInterrupt: (cause) => { appendFileSync(${JSON.stringify(out)}, cause + ':'); },
  deadline: { ms: 1, code: 1 },
});
setInterval(() => undefined, 1000);
`,
    );
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', script], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('timeout:ba');
  });
});
