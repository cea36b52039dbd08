import { describe, expect, it } from '@jest/globals';
import { pointKubeconfigAtHostPort } from './guest-cluster.ts';

describe('pointKubeconfigAtHostPort', () => {
  it("points kind's kubeconfig of the guest at the host's forwarded port", () => {
    const text = 'clusters:\n- cluster:\n    server: https://0.0.0.0:6443\n  name: kind-knc-ipvs\n';
    expect(pointKubeconfigAtHostPort(text, 25287)).toBe(
      'clusters:\n- cluster:\n    server: https://127.0.0.1:25287\n  name: kind-knc-ipvs\n',
    );
  });
});
