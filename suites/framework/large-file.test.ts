import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import { CheckFailure, Evidence } from './evidence.ts';
import { expectWholeFile, type LargeFile } from './large-file.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const large: LargeFile = { server: {}, bytes: 4096, sha256: sha256('served') };
const target = { host: '10.244.2.7', port: 80, route: 'client → server' };

function result(exitCode: number, stdout: string, stderr = ''): ProbeResult {
  return {
    where: 'pod ns/client[netshoot]',
    command: [],
    stdout,
    stderr,
    exitCode,
    durationMs: 1,
    attempts: [],
  };
}

/** A client whose small request is answered and whose large fetch returns `fetched`. */
function client(fetched: ProbeResult): (argv: readonly string[]) => Promise<ProbeResult> {
  return (argv) => Promise.resolve(argv[0] === 'curl' ? result(0, 'small') : fetched);
}

async function failureOf(fetched: ProbeResult): Promise<string> {
  try {
    await expectWholeFile(client(fetched), target, large, new Evidence());
  } catch (error) {
    if (error instanceof CheckFailure) return error.message.split('\n')[0] ?? '';
    throw error;
  }
  return 'passed';
}

describe('expectWholeFile', () => {
  it.each([
    {
      arrived: 'every byte with the served sha256',
      fetched: result(0, `bytes ${large.bytes} http 200\nsha256 ${large.sha256}  -\n`),
      message: /^passed$/,
    },
    {
      arrived: 'nothing before curl timed out',
      fetched: result(
        28,
        `bytes 0 http 200\nsha256 ${sha256('')}  -\n`,
        `curl: (28) Operation timed out after 10001 milliseconds with 0 out of ${large.bytes} bytes received\n`,
      ),
      message: new RegExp(
        `^client → server: expected ${large.bytes} bytes with sha256 ${large.sha256.slice(0, 12)}…, observed TimedOut after 0 of ${large.bytes} bytes \\(curl: \\(28\\) Operation timed out`,
      ),
    },
    {
      arrived: 'a shorter reply',
      fetched: result(0, `bytes 1000 http 200\nsha256 ${sha256('short')}  -\n`),
      message: new RegExp(`observed 1000 of ${large.bytes} bytes$`),
    },
    {
      arrived: 'the right size with other content',
      fetched: result(0, `bytes ${large.bytes} http 200\nsha256 ${sha256('other')}  -\n`),
      message: new RegExp(
        `observed size matched, sha256 ${sha256('other').slice(0, 12)}… differed$`,
      ),
    },
    {
      arrived: 'an error page',
      fetched: result(0, `bytes 153 http 404\nsha256 ${sha256('404')}  -\n`),
      message: /observed HTTP 404 with 153 bytes$/,
    },
  ])('names what arrived: $arrived', async ({ fetched, message }) => {
    expect(await failureOf(fetched)).toMatch(message);
  });

  it('asks for the file at the target and records both probes', async () => {
    const asked: (readonly string[])[] = [];
    const evidence = new Evidence();
    const fetched = result(0, `bytes ${large.bytes} http 200\nsha256 ${large.sha256}  -\n`);
    await expectWholeFile(
      (argv) => {
        asked.push(argv);
        return client(fetched)(argv);
      },
      target,
      large,
      evidence,
    );
    expect(asked.map((argv) => argv.at(-1))).toEqual([
      'http://10.244.2.7:80/',
      'http://10.244.2.7:80/large.bin',
    ]);
    expect(evidence.items.map((i) => i.title)).toEqual([
      expect.stringContaining('small reply GET http://10.244.2.7:80/'),
      'client → server: GET http://10.244.2.7:80/large.bin',
    ]);
  });
});
