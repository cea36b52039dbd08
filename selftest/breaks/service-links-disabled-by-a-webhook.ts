// Break: an admission webhook turns service links off. A MutatingWebhookConfiguration (what a
// policy engine installs to keep pods' environments small) sends every pod created in the runs'
// namespaces (label app.kubernetes.io/managed-by=kube-netconform) to a webhook that sets
// spec.enableServiceLinks: false. The kubelet then gives a pod created after the Services of its
// namespace none of their variables, only default/kubernetes' ones: the env-vars checks that expect
// them must fail naming the missing variables and the enableServiceLinks: false the pod was
// admitted with. The pod created before the Services and the pod that asked for service links off
// must still pass, and so must the ClusterIP area (its pods are mutated too; names resolve by DNS).
//
// The webhook server runs in this process, on the host's address on the nodes' network (the
// control-plane container's gateway: traffic to the host itself goes through its INPUT chain, not
// through the DOCKER-USER rules that contain forwarded egress), with a CA and serving certificate
// made by openssl for that address. failurePolicy Ignore keeps the cluster usable should this
// process die. Apply waits until a dry-run pod in a namespace of its own (labelled like a run's)
// comes back mutated: the API server uses the configuration and reaches the server.
// Repair: delete the configuration, wait until a dry-run pod comes back unchanged, stop the server,
// delete the namespace.
import {
  AdmissionregistrationV1Api,
  type V1MutatingWebhookConfiguration,
} from '@kubernetes/client-node';
import { isNotFound } from '../../helpers/cleanup.ts';
import { messageOf } from '../../helpers/errors.ts';
import { poll } from '../../helpers/poll.ts';
import { newRun, runAnnotations, runLabels, runScopedName, RunKeys } from '../../helpers/run-id.ts';
import { runHostChecked } from '../../helpers/shell.ts';
import { disableServiceLinks } from '../admission-review.ts';
import { nodeContainer, type Break, type SelftestCluster } from '../break.ts';
import { checks } from '../checks.ts';
import { servingCertFor } from '../serving-cert.ts';
import { startWebhookServer } from '../webhook-server.ts';

const path = '/disable-service-links';

/** The host's IPv4 address as the control-plane container sees it: its network's gateway. */
async function hostAddressSeenBy(container: string): Promise<string> {
  const r = await runHostChecked([
    'docker',
    'inspect',
    container,
    '--format',
    '{{json .NetworkSettings.Networks}}',
  ]);
  const networks = JSON.parse(r.stdout) as Record<string, { Gateway?: string } | undefined>;
  const gateway = Object.values(networks)
    .map((n) => n?.Gateway ?? '')
    .find((g) => /^\d+\.\d+\.\d+\.\d+$/.test(g));
  if (gateway === undefined) throw new Error(`no IPv4 gateway on the networks of ${container}`);
  return gateway;
}

/** The configuration sending pods created in the runs' namespaces to `url`. */
function webhookConfiguration(
  name: string,
  url: string,
  caPem: string,
  metadata: { labels: Record<string, string>; annotations: Record<string, string> },
): V1MutatingWebhookConfiguration {
  return {
    metadata: { name, ...metadata },
    webhooks: [
      {
        name: 'disable-service-links.selftest.kube-netconform',
        clientConfig: { url, caBundle: Buffer.from(caPem).toString('base64') },
        rules: [
          {
            operations: ['CREATE'],
            apiGroups: [''],
            apiVersions: ['v1'],
            resources: ['pods'],
            scope: 'Namespaced',
          },
        ],
        namespaceSelector: { matchLabels: { [RunKeys.managedBy]: RunKeys.managedByValue } },
        failurePolicy: 'Ignore',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 5,
        reinvocationPolicy: 'Never',
      },
    ],
  };
}

/**
 * Polls dry-run creations of a pod in `namespace` until the API server admits it with
 * enableServiceLinks `want` (false: the webhook is in use; true: it no longer is).
 */
async function awaitAdmittedLinks(
  cluster: SelftestCluster,
  namespace: string,
  want: boolean,
): Promise<void> {
  await poll({
    what: `a dry-run pod in ${namespace} admitted with enableServiceLinks: ${String(want)}`,
    deadline: 'webhookConfigured',
    intervalMs: 1000,
    attempt: async () => {
      const pod = await cluster.core.createNamespacedPod({
        namespace,
        dryRun: 'All',
        body: {
          metadata: { name: 'service-links-probe' },
          spec: { containers: [{ name: 'probe', image: 'busybox' }] },
        },
      });
      const links = pod.spec?.enableServiceLinks;
      return {
        done: links === want,
        state: links,
        summary: `admitted with enableServiceLinks: ${String(links)}`,
      };
    },
  });
}

/** Deletes `namespace` and waits until it is gone. */
async function removeNamespace(cluster: SelftestCluster, namespace: string): Promise<void> {
  await poll({
    what: `namespace ${namespace} gone`,
    deadline: 'namespaceDeleted',
    intervalMs: 1000,
    attempt: async () => {
      try {
        const ns = await cluster.core.readNamespace({ name: namespace });
        if (ns.metadata?.deletionTimestamp === undefined) {
          await cluster.core.deleteNamespace({ name: namespace });
        }
        return {
          done: false,
          state: ns.status?.phase,
          summary: `phase ${ns.status?.phase ?? '?'}`,
        };
      } catch (error) {
        if (isNotFound(error)) return { done: true, state: 'gone' };
        throw error;
      }
    },
  });
  cluster.log(`namespace ${namespace} deleted`);
}

export default {
  name: 'service-links-disabled-by-a-webhook',
  description:
    "a mutating admission webhook sets enableServiceLinks: false on every pod created in the runs' namespaces",
  suites: ['env-vars', 'clusterip'],
  apply: async (cluster) => {
    const run = newRun();
    const metadata = { labels: runLabels(run), annotations: runAnnotations(run) };
    const name = runScopedName(run, 'knc-selftest-disable-service-links');
    const probeNamespace = runScopedName(run, 'knc-selftest-webhook');
    const host = await hostAddressSeenBy(nodeContainer(cluster, 'control-plane'));
    const cert = await servingCertFor(host);
    let patched = 0;
    const server = await startWebhookServer({
      host,
      cert,
      log: cluster.log,
      handle: (body) => {
        const outcome = disableServiceLinks(body);
        if (outcome.patched) patched += 1;
        return outcome.reply;
      },
    });
    cluster.log(`webhook server listening on ${server.url}`);
    const admission = cluster.kc.makeApiClient(AdmissionregistrationV1Api);
    const repair = async (): Promise<void> => {
      try {
        await admission.deleteMutatingWebhookConfiguration({ name });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      cluster.log(`MutatingWebhookConfiguration ${name} deleted`);
      try {
        await awaitAdmittedLinks(cluster, probeNamespace, true);
      } finally {
        await server.close();
        cluster.log(
          `webhook server stopped (it set enableServiceLinks: false on ${patched} pod(s))`,
        );
        await removeNamespace(cluster, probeNamespace);
      }
    };
    try {
      await cluster.core.createNamespace({
        body: { metadata: { name: probeNamespace, ...metadata } },
      });
      await admission.createMutatingWebhookConfiguration({
        body: webhookConfiguration(name, `${server.url}${path}`, cert.caPem, metadata),
      });
      cluster.log(
        `MutatingWebhookConfiguration ${name} → ${server.url}${path} (failurePolicy Ignore)`,
      );
      await awaitAdmittedLinks(cluster, probeNamespace, false);
    } catch (error) {
      await repair().catch((e: unknown) => {
        cluster.log(`undoing the half-applied break failed: ${messageOf(e)}`);
      });
      throw error;
    }
    cluster.log(`the API server admits pods of ${probeNamespace} with enableServiceLinks: false`);
    return repair;
  },
  mustFail: [
    {
      // "pod env-after (created after the Services, admitted with enableServiceLinks: false):
      // 20 of 28 variable(s) differ (CACHE_PORT: expected tcp://…, observed (not set); …)".
      check: checks.envVars.after,
      message:
        /admitted with enableServiceLinks: false\): \d+ of \d+ variable\(s\) differ \([A-Z_]+: expected \S+, observed \(not set\)/,
    },
    {
      check: checks.envVars.otherNamespaces,
      message:
        /admitted with enableServiceLinks: false\):[^\n]*WEB_FRONT_SERVICE_HOST: expected [\d.:a-f]+, observed \(not set\)/,
    },
  ],
  mustPass: [
    checks.envVars.before,
    checks.envVars.linksDisabled,
    checks.clusterip.byName,
    checks.clusterip.spread,
  ],
} satisfies Break;
