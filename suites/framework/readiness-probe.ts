/**
 * The readiness probe of every fixture that serves HTTP. On a normal cluster it is kubelet's
 * default with a 2 s period (a pod is marked not ready within about 6 s of failing, which the
 * checks about not-ready endpoints rely on). Its timeout grows with the deadline scale
 * (--timeout-scale): in the IPVS lane's emulated guest a healthy nginx sometimes took 2–4 s to
 * answer, so kubelet's 1 s timeout kept a serving backend out of its Service for minutes.
 */
import type { V1Probe } from '@kubernetes/client-node';
import { probeSeconds, timeoutScale } from '../../helpers/timeouts.ts';

/** An HTTP GET readiness probe of `path` on `port` (number or port name), scaled for slow clusters. */
export function httpReadinessProbe(
  path: string,
  port: number | string,
  scale = timeoutScale(),
): V1Probe {
  const timeoutSeconds = probeSeconds(1, scale);
  return {
    httpGet: { path, port },
    periodSeconds: Math.max(2, timeoutSeconds),
    timeoutSeconds,
  };
}
