/**
 * Large replies, for the checks an overlay MTU black hole cannot pass. A small reply fits in one
 * packet and crosses a link that drops large packets; a reply of several MiB needs full-size
 * segments, and where they are dropped without an ICMP "fragmentation needed" the transfer stalls
 * after its first bytes. The server is an nginx pod that writes a file of random bytes into its
 * document root when it starts; the fixture reads back the file's size and sha256, and the client
 * fetches it with curl and compares both, so a truncated or corrupted reply is told apart.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { classifyCurl, ConnectOutcome } from '../../helpers/outcomes.ts';
import type { ProbeResult } from '../../helpers/probe-result.ts';
import { probeSeconds, type TimeoutName } from '../../helpers/timeouts.ts';
import { CheckFailure, type Evidence } from './evidence.ts';
import { httpReadinessProbe } from './readiness-probe.ts';
import { repeatProbe } from './repeat-probe.ts';
import type { SuiteContext } from './suite-context.ts';
import { podSpec, startPod } from './workloads.ts';

/** Size of the served file: thousands of full-size segments, still well under a second to fetch. */
export const largeFileBytes = 4 * 1024 * 1024;
/** curl's limit for the whole transfer (scaled by --timeout-scale). */
const transferSeconds = 10;
const urlPath = '/large.bin';
const file = `/usr/share/nginx/html${urlPath}`;

/** A server of the large file, and what the file is. */
export interface LargeFile {
  readonly server: V1Pod;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Starts an nginx pod `name` pinned to `nodeName` that serves a file of {@link largeFileBytes}
 * random bytes on port 80 (named http), and reads back the file's size and sha256.
 */
export async function startLargeFileServer(
  ctx: SuiteContext,
  name: string,
  nodeName: string,
  labels?: Record<string, string>,
): Promise<LargeFile> {
  const server = await startPod(
    ctx,
    podSpec(ctx, {
      name,
      nodeName,
      ...(labels === undefined ? {} : { labels }),
      containers: [
        {
          name: 'nginx',
          image: ctx.images.nginx,
          imagePullPolicy: 'IfNotPresent',
          // args, not command: the image's entrypoint still runs (it adds the IPv6 listener).
          args: [
            'sh',
            '-c',
            `head -c ${largeFileBytes} /dev/urandom > ${file} && exec nginx -g 'daemon off;'`,
          ],
          ports: [{ containerPort: 80, name: 'http' }],
          readinessProbe: httpReadinessProbe('/', 80),
        },
      ],
    }),
  );
  const r = await ctx.exec(name, 'nginx', ['sh', '-c', `wc -c < ${file} && sha256sum ${file}`]);
  const [, size, sha256] = /^\s*(\d+)\s+([0-9a-f]{64})\s/.exec(r.stdout) ?? [];
  if (size === undefined || sha256 === undefined)
    throw new Error(
      `could not read the size and sha256 of ${file} in pod ${name}: ${r.stderr || r.stdout}`,
    );
  return { server, bytes: Number(size), sha256 };
}

/**
 * Fetches the large file from `host:port` with `run` (a client pod's or an outside host's exec)
 * and fails unless every byte arrived with the served sha256. First a small reply (the index page)
 * is awaited under `ready` (a new Service's rules take kube-proxy a while), so the failure is
 * about the size of the reply: "observed TimedOut after 0 of 4194304 bytes (curl: (28) …)", or
 * "size matched, sha256 … differed".
 */
export async function expectWholeFile(
  run: (argv: readonly string[]) => Promise<ProbeResult>,
  target: {
    readonly host: string;
    readonly port: number;
    readonly route: string;
    /** How long the small reply may take to come (a new Service's rules); default probeExec. */
    readonly ready?: TimeoutName;
  },
  large: LargeFile,
  evidence: Evidence,
): Promise<void> {
  const { host, port, route } = target;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const small = await repeatProbe({
    evidence,
    title: `${route}: small reply GET ${origin}/`,
    what: `a small reply from ${origin}/`,
    deadline: target.ready ?? 'probeExec',
    round: async () => {
      const probe = await run(['curl', '-sS', '--max-time', String(probeSeconds(2)), `${origin}/`]);
      const outcome = classifyCurl(probe);
      return { probe, done: outcome === ConnectOutcome.Reached, state: outcome, observed: outcome };
    },
  });
  if (small.timedOut)
    throw new CheckFailure(
      `${route}: expected a small reply from ${origin}/ first, observed ${small.last?.observed ?? 'no attempt finished'} (${small.timeout.message})`,
      evidence,
    );
  const url = `${origin}${urlPath}`;
  const script = [
    'f=$(mktemp)',
    `curl -sS --max-time ${probeSeconds(transferSeconds)} -o "$f" -w 'bytes %{size_download} http %{http_code}\\n' "$0"`,
    'rc=$?',
    'echo "sha256 $(sha256sum < "$f")"',
    'rm -f "$f"',
    'exit $rc',
  ].join('; ');
  const result = evidence.probe(`${route}: GET ${url}`, await run(['sh', '-c', script, url]));
  const outcome = classifyCurl(result);
  const bytes = Number(/^bytes (\d+)/m.exec(result.stdout)?.[1] ?? 0);
  const http = /^bytes \d+ http (\d+)/m.exec(result.stdout)?.[1] ?? '?';
  const sha256 = /^sha256 ([0-9a-f]{64})/m.exec(result.stdout)?.[1] ?? '?';
  const expected = `expected ${large.bytes} bytes with sha256 ${large.sha256.slice(0, 12)}…`;
  let observed: string | undefined;
  if (outcome !== ConnectOutcome.Reached) {
    const curlError = result.stderr.trim().split('\n')[0] ?? '';
    observed = `${outcome} after ${bytes} of ${large.bytes} bytes (${curlError || 'no message'})`;
  } else if (http !== '200') observed = `HTTP ${http} with ${bytes} bytes`;
  else if (bytes !== large.bytes) observed = `${bytes} of ${large.bytes} bytes`;
  else if (sha256 !== large.sha256)
    observed = `size matched, sha256 ${sha256.slice(0, 12)}… differed`;
  if (observed !== undefined)
    throw new CheckFailure(`${route}: ${expected}, observed ${observed}`, evidence);
}
