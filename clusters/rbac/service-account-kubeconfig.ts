/**
 * A kubeconfig for a ServiceAccount: a token from the TokenRequest API (what
 * `kubectl create token` asks for) and the cluster entry of an admin's kubeconfig, written to a
 * file only its owner can read. The token expires by itself and dies with the ServiceAccount.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { ServiceAccountRef } from './runner-manifest.ts';

/** Asks the API server for a token of `sa`, valid for `seconds`. */
export async function requestToken(
  admin: KubeConfig,
  sa: ServiceAccountRef,
  seconds: number,
): Promise<string> {
  const core = admin.makeApiClient(CoreV1Api);
  const answer = await core.createNamespacedServiceAccountToken({
    name: sa.name,
    namespace: sa.namespace,
    body: { spec: { expirationSeconds: seconds } },
  });
  const token = answer.status?.token;
  if (token === undefined || token === '')
    throw new Error(`the TokenRequest for ${sa.namespace}/${sa.name} returned no token`);
  return token;
}

/**
 * A kubeconfig whose only context uses `token` against the admin's current cluster (its CA
 * embedded, so the file stands alone).
 * @throws {Error} when the admin's context has no cluster.
 */
export function tokenKubeConfig(
  admin: KubeConfig,
  sa: ServiceAccountRef,
  token: string,
): KubeConfig {
  const cluster = admin.getCurrentCluster();
  if (cluster === null) throw new Error('the admin kubeconfig has no current cluster');
  const caData =
    cluster.caData ??
    (cluster.caFile === undefined ? undefined : readFileSync(cluster.caFile).toString('base64'));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.server,
        skipTLSVerify: cluster.skipTLSVerify,
        ...(caData === undefined ? {} : { caData }),
        ...(cluster.tlsServerName === undefined ? {} : { tlsServerName: cluster.tlsServerName }),
      },
    ],
    users: [{ name: sa.name, token }],
    contexts: [{ name: sa.name, cluster: cluster.name, user: sa.name }],
    currentContext: sa.name,
  });
  return kc;
}

/** Writes `kc` to `file` (mode 0600). */
export function writeKubeConfig(kc: KubeConfig, file: string): void {
  writeFileSync(file, kc.exportConfig(), { mode: 0o600 });
}
