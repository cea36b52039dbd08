/**
 * `netconform doctor`: checks the machine for what runs need and says what to fix. One line per
 * finding, `ok|warn|FAIL <what>: <detail>`, followed by `fix: …` when it is not ok. warn: some
 * runs work (e.g. no IPVS: the ipvs profile runs in a slower QEMU guest, the others on the host). Exit 0 when nothing
 * FAILs, 2 otherwise. It installs and starts nothing (clusters/host/prepare.sh does); the IPVS
 * probe (prepare.sh --check-ipvs) loads the ip_vs module when it is loadable but not loaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ExitCode, messageOf, SetupError } from '../../helpers/errors.ts';
import { checkDocker } from '../../helpers/docker.ts';
import { checkApiReachable, loadKubeConfig } from '../../helpers/kubeconfig.ts';
import { runHost } from '../../helpers/shell.ts';
import { clusterScript } from '../../clusters/paths.ts';
import { requireJava } from '../../reports/generate.ts';
import { helpText, parseCommand, stringFlag, type CommandSpec } from '../args.ts';
import { clusterTarget, type ClusterTarget } from '../cluster-target.ts';
import { program } from '../program.ts';

/** Flags of `doctor`. */
export const doctorSpec: CommandSpec = {
  name: 'doctor',
  summary:
    'Check this machine for what runs need: Docker, the kind toolchain, Java (HTML report), kernel features (IPVS, nftables), the privileged-container quirk, and, given --kubeconfig/--context, the API server. Says what to fix; exits 2 when something FAILs.',
  flags: {
    kubeconfig: {
      type: 'string',
      value: 'PATH',
      help: 'also check that the API server of this kubeconfig answers (as does a set $KUBECONFIG)',
    },
    context: { type: 'string', value: 'NAME', help: 'context of the kubeconfig to check' },
  },
  examples: [
    `${program} doctor`,
    `${program} doctor --kubeconfig ~/.kube/config --context my-cluster`,
  ],
  environment: {
    KUBECONFIG: 'kubeconfig file(s), colon-separated; set, its cluster API is checked',
    DOCKER_HOST: 'the Docker engine to check',
    JAVA_HOME: 'the Java runtime for the HTML report (default: java on the PATH)',
  },
};

/** One finding of the doctor. */
export interface Finding {
  readonly status: 'ok' | 'warn' | 'FAIL';
  readonly what: string;
  readonly detail: string;
  /** What to do about it (required unless ok). */
  readonly fix?: string;
}

/** The lines of one finding: `ok   what: detail`, and `     fix: …` when not ok. */
export function renderFinding(f: Finding): string {
  const head = `${f.status.padEnd(4)} ${f.what}: ${f.detail}`;
  return f.status === 'ok' || f.fix === undefined ? head : `${head}\n     fix: ${f.fix}`;
}

/** A finding from a SetupError (its message and fix), or from any other error. */
function failed(what: string, error: unknown, status: 'warn' | 'FAIL' = 'FAIL'): Finding {
  return error instanceof SetupError
    ? { status, what, detail: error.message, fix: error.fix }
    : { status, what, detail: messageOf(error), fix: 'see the message' };
}

async function docker(): Promise<Finding> {
  try {
    const info = await checkDocker();
    return {
      status: 'ok',
      what: 'docker',
      detail: `the Docker engine ${info.serverVersion} answers`,
    };
  } catch (error) {
    return failed('docker', error);
  }
}

/** CAP_SYS_RESOURCE (24) missing from the bounding set: privileged containers fail under runc. */
async function privilegedContainers(): Promise<Finding> {
  const what = 'privileged containers';
  const bnd = /^CapBnd:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (bnd === undefined || (BigInt(`0x${bnd}`) & (1n << 24n)) !== 0n)
    return { status: 'ok', what, detail: 'the capability bounding set is complete (no quirk)' };
  const quirk =
    'CAP_SYS_RESOURCE is missing from the capability bounding set, so runc cannot start privileged containers (kind nodes) as they are; the runc wrapper of clusters/host/ drops it from their capabilities';
  const rt = await runHost(['docker', 'info', '--format', '{{.DefaultRuntime}}'], {
    timeoutMs: 20_000,
  });
  const runtime = rt.stdout.trim();
  if (rt.exitCode === 0 && runtime === 'knc-runc')
    return { status: 'ok', what, detail: `${quirk}, and dockerd runs with it (runtime knc-runc)` };
  return {
    status: 'warn',
    what,
    detail:
      rt.exitCode === 0
        ? `${quirk}, but dockerd runs without it (default runtime ${runtime})`
        : `${quirk}; dockerd could not be asked which runtime it uses`,
    fix: 'run clusters/host/prepare.sh as root (cluster up and run --profile do): it installs the wrapper and restarts dockerd with it',
  };
}

/** The toolchain kind clusters are made with (kind, Kubernetes, …), built once into the cache. */
async function toolchain(existingCluster: boolean): Promise<Finding> {
  const what = 'kind toolchain';
  const script = clusterScript('toolchain/build.sh');
  const check = await runHost([script, '--check'], { timeoutMs: 30_000 });
  if (check.exitCode === 0) {
    const key = await runHost([script, '--print-key'], { timeoutMs: 30_000 });
    const bin = /^TOOLCHAIN_BIN=(.*)$/m.exec(key.stdout)?.[1] ?? 'the cache';
    return {
      status: 'ok',
      what,
      detail: `kind, Kubernetes, etcd, CoreDNS and the CNI are built (${bin})`,
    };
  }
  const go = await runHost(['go', 'version'], { timeoutMs: 30_000 });
  if (go.exitCode === 0)
    return {
      status: 'warn',
      what,
      detail: `not built yet; the first kind cluster builds it with ${go.stdout.trim()} (long: see docs/offline-toolchain.md)`,
      fix: `build it ahead with clusters/toolchain/build.sh, or let \`${program} cluster up\` do it`,
    };
  return {
    status: existingCluster ? 'warn' : 'FAIL',
    what,
    detail: 'not built, and no Go on the PATH to build it: kind clusters cannot be made',
    fix: 'install Go (any recent version; the Go module proxy provides the toolchain it asks for), or test an existing cluster with --kubeconfig/--context',
  };
}

async function java(): Promise<Finding> {
  try {
    await requireJava();
    return {
      status: 'ok',
      what: 'java',
      detail: 'a Java runtime starts (the HTML report needs it)',
    };
  } catch (error) {
    return failed('java', error);
  }
}

async function ipvs(): Promise<Finding> {
  const what = 'kernel IPVS';
  const r = await runHost([clusterScript('host/prepare.sh'), '--check-ipvs'], {
    timeoutMs: 30_000,
  });
  if (r.exitCode === 0)
    return { status: 'ok', what, detail: 'ip_vs is available (the ipvs profile can run)' };
  const why =
    r.stderr
      .trim()
      .split('\n')
      .slice(-1)[0]
      ?.replace(/^\[host\]\s*/, '') ?? '';
  return {
    status: 'warn',
    what,
    detail: why || `prepare.sh --check-ipvs exited ${String(r.exitCode)}`,
    fix: "the ipvs profile will run kind inside a QEMU guest with Debian's stock kernel (software emulation: minutes, not seconds; docs/ipvs-lane.md); the iptables and nftables profiles run on the host",
  };
}

async function nftables(): Promise<Finding> {
  const what = 'kernel nftables';
  const nft = await runHost(['nft', 'list', 'tables'], { timeoutMs: 20_000 });
  if (nft.exitCode === 0)
    return { status: 'ok', what, detail: '`nft list tables` works (the nftables profile can run)' };
  if (existsSync('/sys/module/nf_tables'))
    return { status: 'ok', what, detail: 'nf_tables is loaded (the nftables profile can run)' };
  return {
    status: 'warn',
    what,
    detail: `\`nft list tables\` fails (${nft.stderr.trim().split('\n')[0] ?? ''}) and nf_tables is not loaded`,
    fix: 'load it (modprobe nf_tables) for the nftables profile, or use the iptables profile',
  };
}

async function api(target: ClusterTarget): Promise<Finding> {
  const what = 'cluster API';
  if (target.kind === 'kind')
    return {
      status: 'ok',
      what,
      detail:
        'not checked (no --kubeconfig/--context given, KUBECONFIG unset; runs without them make kind clusters)',
    };
  try {
    const kc = loadKubeConfig(target.source);
    const info = await checkApiReachable(kc);
    return {
      status: 'ok',
      what,
      detail: `${info.server} answers (Kubernetes ${info.gitVersion}, context ${kc.getCurrentContext()})`,
    };
  } catch (error) {
    return failed(what, error);
  }
}

/** Runs `doctor`; returns the exit code. */
export async function doctorCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseCommand(program, doctorSpec, argv);
  if (parsed.help) {
    console.log(helpText(program, doctorSpec));
    return ExitCode.Passed;
  }
  const target = clusterTarget({
    kubeconfig: stringFlag(parsed.flags, 'kubeconfig'),
    context: stringFlag(parsed.flags, 'context'),
    profile: undefined,
    kindFlags: [],
  });
  const findings = await Promise.all([
    Promise.resolve<Finding>({ status: 'ok', what: 'node', detail: `Node.js ${process.version}` }),
    docker(),
    privilegedContainers(),
    toolchain(target.kind === 'existing'),
    java(),
    ipvs(),
    nftables(),
    api(target),
  ]);
  for (const f of findings) console.log(renderFinding(f));
  const count = (s: Finding['status']): number => findings.filter((f) => f.status === s).length;
  const fails = count('FAIL');
  console.log(
    `\n${count('ok')} ok, ${count('warn')} warn, ${fails} FAIL: ${fails === 0 ? 'nothing blocks a run' : 'fix the FAIL lines first'}`,
  );
  return fails === 0 ? ExitCode.Passed : ExitCode.SetupError;
}
