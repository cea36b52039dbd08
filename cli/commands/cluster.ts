/** `netconform cluster up|down|list`: the kind clusters of the profiles. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDown, clusterUp } from '../../clusters/cluster.ts';
import { readState } from '../../clusters/cluster-state.ts';
import { cacheDir } from '../../clusters/paths.ts';
import { defaultClusterName, profileNames } from '../../clusters/profiles.ts';
import { helpText, oneOf, parseCommand, stringFlag, type CommandSpec } from '../args.ts';
import { progress, program } from '../program.ts';
import { UsageError } from '../usage-error.ts';

/** Flags of `cluster up` / `cluster down`. */
export const clusterSpec: CommandSpec = {
  name: 'cluster',
  summary:
    'Create (up), delete (down) or list the kind clusters kube-netconform manages. With no registry reachable (or --offline) every image is built locally from Go modules and Debian packages.',
  positionals: ['up|down|list'],
  flags: {
    profile: {
      type: 'string',
      value: 'NAME',
      help: `cluster profile: ${profileNames.join(', ')} (default iptables)`,
    },
    'cluster-name': {
      type: 'string',
      value: 'NAME',
      help: 'kind cluster name (default knc-<profile>)',
    },
    offline: { type: 'boolean', help: 'build every image locally even if a registry is reachable' },
    'no-load-balancer': {
      type: 'boolean',
      help: 'up: do not install the LoadBalancer implementation (MetalLB, layer 2)',
    },
  },
  examples: [
    `${program} cluster up --profile nftables     # prints the KUBECONFIG of the new cluster`,
    `${program} cluster list`,
    `${program} cluster down --profile nftables`,
  ],
  environment: {
    KNC_CACHE_DIR:
      'where toolchain, images and cluster records are kept (default ~/.cache/kube-netconform)',
    KNC_TIMEOUT_SCALE: 'multiply every deadline by this number (slow machines)',
  },
};

/** Runs `cluster up|down|list`; returns the exit code. */
export async function clusterCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseCommand(program, clusterSpec, argv);
  if (parsed.help) {
    console.log(helpText(program, clusterSpec));
    return 0;
  }
  const action = oneOf('cluster action', parsed.positionals[0] ?? '', [
    'up',
    'down',
    'list',
  ] as const);
  const profile = oneOf('profile', stringFlag(parsed.flags, 'profile') ?? 'iptables', profileNames);
  const name = stringFlag(parsed.flags, 'cluster-name') ?? defaultClusterName(profile);
  const log = progress(performance.now());
  if (action === 'up') {
    const state = await clusterUp({
      profile,
      name,
      log,
      ...(parsed.flags.offline === true ? { offline: true } : {}),
      ...(parsed.flags['no-load-balancer'] === true ? { loadBalancer: false } : {}),
    });
    console.log(
      `cluster ${state.name} is up (profile ${state.profile}, node image ${state.nodeImage})`,
    );
    console.log(`KUBECONFIG=${state.kubeconfig}`);
    // A cluster of the IPVS lane lives in a guest VM: its nodes' Docker engine is the guest's.
    if (state.guest !== undefined) console.log(`DOCKER_HOST=${state.guest.dockerHost}`);
    return 0;
  }
  if (action === 'down') {
    await clusterDown(name, log);
    return 0;
  }
  let names: string[];
  try {
    names = readdirSync(join(cacheDir(), 'clusters'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5));
  } catch {
    names = [];
  }
  if (names.length === 0) console.log('no clusters created by kube-netconform');
  for (const n of names) {
    const s = readState(n);
    if (s !== undefined)
      console.log(
        `${s.name}\tprofile=${s.profile}\tkubeconfig=${s.kubeconfig}\tcreated=${s.createdAt}`,
      );
  }
  if (parsed.positionals.length > 1)
    throw new UsageError('too many arguments', `see \`${program} cluster --help\``);
  return 0;
}
