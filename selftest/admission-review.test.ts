import { describe, expect, it } from '@jest/globals';
import { disableServiceLinks, disableServiceLinksPatch } from './admission-review.ts';

/** An AdmissionReview request as the API server sends it (the fields the webhook reads). */
function review(kind: string, operation: string, spec: Record<string, unknown> = {}): unknown {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: '', version: 'v1', kind },
      operation,
      namespace: 'knc-env-vars-abc123',
      name: 'env-after',
      object: { metadata: { name: 'env-after' }, spec },
    },
  };
}

describe('disableServiceLinks', () => {
  it('patches a pod being created to enableServiceLinks: false, echoing the uid', () => {
    const { reply, patched, request } = disableServiceLinks(review('Pod', 'CREATE'));
    expect(patched).toBe(true);
    expect(request).toBe('CREATE Pod knc-env-vars-abc123/env-after');
    expect(reply).toMatchObject({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
        allowed: true,
        patchType: 'JSONPatch',
      },
    });
    const patch: unknown = JSON.parse(
      Buffer.from(reply.response.patch ?? '', 'base64').toString('utf8'),
    );
    expect(patch).toEqual([{ op: 'add', path: '/spec/enableServiceLinks', value: false }]);
    expect(patch).toEqual(disableServiceLinksPatch);
  });

  it('allows anything else unchanged', () => {
    const { reply, patched } = disableServiceLinks(review('Pod', 'UPDATE'));
    expect(patched).toBe(false);
    expect(reply.response).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
    expect(disableServiceLinks(review('Service', 'CREATE')).patched).toBe(false);
  });

  it('names a pod with a generated name by its prefix', () => {
    const body = review('Pod', 'CREATE');
    const request = (body as { request: Record<string, unknown> }).request;
    delete request.name;
    request.object = { metadata: { generateName: 'web-7d9f-' }, spec: {} };
    expect(disableServiceLinks(body).request).toBe('CREATE Pod knc-env-vars-abc123/web-7d9f-…');
  });

  it.each([
    ['no body', undefined],
    ['another API version', { apiVersion: 'admission.k8s.io/v1beta1', request: { uid: 'x' } }],
    ['no uid', { apiVersion: 'admission.k8s.io/v1', request: {} }],
  ])('rejects %s', (_, body) => {
    expect(() => disableServiceLinks(body)).toThrow(/not an AdmissionReview/);
  });
});
