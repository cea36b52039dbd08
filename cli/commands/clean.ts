/** `netconform clean`: removes what earlier runs left behind (namespaces and containers), by label. */
import { hostname } from 'node:os';
import { CoreV1Api } from '@kubernetes/client-node';
import { resolveDockerEndpoint } from '../../helpers/docker.ts';
import { checkApiReachable, loadKubeConfig } from '../../helpers/kubeconfig.ts';
import {
  processAlive,
  reapContainers,
  reapNamespaces,
  type ReaperContext,
} from '../../helpers/reaper.ts';
import { helpText, parseCommand, stringFlag, type CommandSpec } from '../args.ts';
import { program } from '../program.ts';

/** Flags of `clean`. */
export const cleanSpec: CommandSpec = {
  name: 'clean',
  summary:
    'Remove namespaces and containers that earlier runs left behind: those whose run is gone (its process ended, or it started more than 6 h ago elsewhere). With --all, every object kube-netconform created. Containers are looked for in the Docker engine DOCKER_HOST names, else the default socket.',
  flags: {
    kubeconfig: {
      type: 'string',
      value: 'PATH',
      help: 'kubeconfig of the cluster to clean (default $KUBECONFIG or ~/.kube/config)',
    },
    context: { type: 'string', value: 'NAME', help: 'context to use' },
    all: { type: 'boolean', help: 'also remove objects of runs that may still be alive' },
    'containers-only': { type: 'boolean', help: 'only clean Docker containers on this machine' },
  },
  examples: [
    `${program} clean --context my-cluster     # what crashed runs left there`,
    `${program} clean --containers-only        # only this machine's containers`,
  ],
  environment: {
    KUBECONFIG: 'kubeconfig file(s), colon-separated (the first that exists is used)',
    DOCKER_HOST: 'the Docker engine whose containers are cleaned',
  },
};

/** Runs `clean`; returns the exit code. */
export async function cleanCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseCommand(program, cleanSpec, argv);
  if (parsed.help) {
    console.log(helpText(program, cleanSpec));
    return 0;
  }
  const ctx: ReaperContext = {
    host: hostname(),
    now: new Date(),
    isAlive: processAlive,
    all: parsed.flags.all === true,
  };
  const docker = await resolveDockerEndpoint();
  if (docker.unavailable !== undefined)
    console.log(`containers not cleaned: ${docker.unavailable}`);
  const seen = await reapContainers(docker, ctx);
  if (parsed.flags['containers-only'] !== true) {
    const kubeconfig = stringFlag(parsed.flags, 'kubeconfig');
    const context = stringFlag(parsed.flags, 'context');
    const kc = loadKubeConfig({
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
      ...(context === undefined ? {} : { context }),
    });
    await checkApiReachable(kc);
    seen.push(...(await reapNamespaces(kc.makeApiClient(CoreV1Api), ctx)));
  }
  for (const o of seen)
    console.log(
      `${o.verdict.stale ? 'removed' : 'kept   '} ${o.kind} ${o.name} (run ${o.run ?? '?'}): ${o.verdict.reason}`,
    );
  if (seen.length === 0) console.log('nothing to clean');
  return 0;
}
