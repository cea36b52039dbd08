/**
 * Writes the runner may and may not make, tried for real as the runner: server-side dry runs
 * (admission runs, nothing is stored) and one exec, whose command is `true`. RBAC lets the
 * runner write pods and Services in any namespace; these show that the admission policy keeps
 * those writes inside the namespaces of its runs.
 */
import { CoreV1Api, Exec, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { messageOf } from '../../helpers/errors.ts';
import { withDeadline } from '../../helpers/deadline.ts';
import { RunKeys } from '../../helpers/run-id.ts';
import { timeout } from '../../helpers/timeouts.ts';

/** One write, what it should meet, and what it met. */
export interface ProbeOutcome {
  readonly what: string;
  readonly expected: 'allowed' | 'refused';
  /** Text a refusal must contain (who refused it), when expected is "refused". */
  readonly refusedBy?: string;
  /** "allowed", or "refused (HTTP n): message". */
  readonly observed: string;
}

/** The answer of a rejected call: "refused (HTTP 403): <the API server's message>". */
export function refusalOf(error: unknown): string {
  const e = error as { code?: unknown; body?: unknown };
  let message = messageOf(error);
  if (typeof e.body === 'string') {
    try {
      message = (JSON.parse(e.body) as { message?: string }).message ?? message;
    } catch {
      // not JSON: keep the error's own message
    }
  }
  return `refused (HTTP ${typeof e.code === 'number' ? String(e.code) : '?'}): ${message}`;
}

async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'allowed';
  } catch (error) {
    return refusalOf(error);
  }
}

const managed = { [RunKeys.managedBy]: RunKeys.managedByValue };

function probePod(namespace: string): V1Pod {
  return {
    metadata: { name: 'knc-rbac-probe', namespace },
    spec: { containers: [{ name: 'probe', image: 'knc-rbac-probe' }] },
  };
}

/** A namespace creation as a server-side dry run. */
async function createNamespace(core: CoreV1Api, name: string, labelled: boolean): Promise<string> {
  return outcome(() =>
    core.createNamespace({
      body: { metadata: { name, ...(labelled ? { labels: managed } : {}) } },
      dryRun: 'All',
    }),
  );
}

/** The message of an error or of a websocket error event (which is no Error). */
function eventMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : messageOf(error);
}

/** Opens an exec of `true` in kube-system; "allowed" when the API server lets it start. */
async function execTrue(
  runner: KubeConfig,
  pod: { readonly name: string; readonly container: string },
): Promise<string> {
  try {
    await withDeadline(`exec in kube-system/${pod.name}`, timeout('probeExec'), async () => {
      const socket = await new Exec(runner).exec(
        'kube-system',
        pod.name,
        pod.container,
        ['true'],
        null,
        null,
        null,
        false,
      );
      socket.close();
    });
    return 'allowed';
  } catch (error) {
    return `refused: ${eventMessage(error)}`;
  }
}

/** Where the probes aim. */
export interface ProbeTargets {
  /** The ServiceAccount's own namespace (no run namespace). */
  readonly homeNamespace: string;
  /** A pod of kube-system and one of its containers. */
  readonly kubeSystemPod: { readonly name: string; readonly container: string };
  /** The admission policy's name, which its refusals quote. */
  readonly policy: string;
}

/** Tries each write as the user of `runner` and returns what happened. */
export async function probeWrites(
  runner: KubeConfig,
  targets: ProbeTargets,
): Promise<ProbeOutcome[]> {
  const { homeNamespace, kubeSystemPod, policy } = targets;
  const core = runner.makeApiClient(CoreV1Api);
  const probes: [string, ProbeOutcome['expected'], () => Promise<string>][] = [
    [
      'create namespace knc-rbac-probe labelled managed-by=kube-netconform',
      'allowed',
      () => createNamespace(core, 'knc-rbac-probe', true),
    ],
    [
      'create namespace rbac-probe labelled managed-by=kube-netconform (not knc-*)',
      'refused',
      () => createNamespace(core, 'rbac-probe', true),
    ],
    [
      'create namespace knc-rbac-probe without the label',
      'refused',
      () => createNamespace(core, 'knc-rbac-probe', false),
    ],
    [
      'delete namespace kube-node-lease',
      'refused',
      () => outcome(() => core.deleteNamespace({ name: 'kube-node-lease', dryRun: 'All' })),
    ],
    [
      'create a pod in kube-system',
      'refused',
      () =>
        outcome(() =>
          core.createNamespacedPod({
            namespace: 'kube-system',
            body: probePod('kube-system'),
            dryRun: 'All',
          }),
        ),
    ],
    [
      `create a pod in ${homeNamespace} (the ServiceAccount's own namespace)`,
      'refused',
      () =>
        outcome(() =>
          core.createNamespacedPod({
            namespace: homeNamespace,
            body: probePod(homeNamespace),
            dryRun: 'All',
          }),
        ),
    ],
    [
      `delete pod kube-system/${kubeSystemPod.name}`,
      'refused',
      () =>
        outcome(() =>
          core.deleteNamespacedPod({
            name: kubeSystemPod.name,
            namespace: 'kube-system',
            dryRun: 'All',
          }),
        ),
    ],
    [
      `exec \`true\` in kube-system/${kubeSystemPod.name}`,
      'refused',
      () => execTrue(runner, kubeSystemPod),
    ],
  ];
  const outcomes: ProbeOutcome[] = [];
  for (const [what, expected, run] of probes) {
    const observed = await run();
    const refusedBy = what.startsWith('exec') ? '403' : policy;
    outcomes.push({ what, expected, ...(expected === 'refused' ? { refusedBy } : {}), observed });
  }
  return outcomes;
}

/** Outcomes that differ from what was expected, as lines for an assertion message. */
export function unexpected(outcomes: readonly ProbeOutcome[]): string[] {
  return outcomes
    .filter(
      (o) =>
        !o.observed.startsWith(o.expected) ||
        (o.refusedBy !== undefined && !o.observed.includes(o.refusedBy)),
    )
    .map(
      (o) =>
        `${o.what}: expected ${o.expected}${o.refusedBy === undefined ? '' : ` by ${o.refusedBy}`}, was ${o.observed}`,
    );
}
