/**
 * What CoreDNS is configured to serve, read from the coredns ConfigMap in kube-system once per
 * suite process with the cluster facts (before checks are registered), so that checks depending on an
 * optional part of the kubernetes plugin (pod records, reverse zones) are skipped with the reason
 * when it is not configured. Only read; nothing in kube-system is changed.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { messageOf } from '../../helpers/errors.ts';
import { suiteEnvironment } from '../framework/environment.ts';
import { parseCorefileKubernetes, type KubernetesPlugin } from './dns-config.ts';

/** The Corefile's kubernetes plugin, or why it could not be read. */
export type CorednsFacts =
  | { readonly found: true; readonly corefile: string; readonly plugin: KubernetesPlugin }
  | { readonly found: false; readonly reason: string };

let cached: Promise<CorednsFacts> | undefined;

/** Reads kube-system/coredns's Corefile and parses its kubernetes plugin. */
async function readCorednsFacts(): Promise<CorednsFacts> {
  const core = suiteEnvironment().kubeConfig.makeApiClient(CoreV1Api);
  let corefile: string | undefined;
  try {
    const cm = await core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' });
    corefile = cm.data?.Corefile;
  } catch (error) {
    return {
      found: false,
      reason: `the ConfigMap kube-system/coredns could not be read (${messageOf(error)})`,
    };
  }
  if (corefile === undefined) {
    return { found: false, reason: 'the ConfigMap kube-system/coredns has no Corefile key' };
  }
  const plugin = parseCorefileKubernetes(corefile);
  if (plugin === undefined) {
    return { found: false, reason: 'the Corefile in kube-system/coredns has no kubernetes plugin' };
  }
  return { found: true, corefile, plugin };
}

/** The facts of this cluster, read on the first call. */
export function corednsFacts(): Promise<CorednsFacts> {
  cached ??= readCorednsFacts();
  return cached;
}
