/**
 * The mutating admission webhook of the break service-links-disabled-by-a-webhook, as a pure
 * function: an AdmissionReview (admission.k8s.io/v1) in, the review with its response out. A pod
 * being created is patched to `spec.enableServiceLinks: false` (one JSONPatch operation, as a
 * policy engine's mutation does); anything else is allowed unchanged.
 */

/** The JSONPatch applied to a pod being created ("add" replaces a value already set). */
export const disableServiceLinksPatch = [
  { op: 'add', path: '/spec/enableServiceLinks', value: false },
] as const;

/** The response part of an AdmissionReview. */
export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: true;
  readonly patchType?: 'JSONPatch';
  /** The JSONPatch, base64-encoded. */
  readonly patch?: string;
}

/** An AdmissionReview carrying a response, as the API server expects it back. */
export interface AdmissionReviewReply {
  readonly apiVersion: 'admission.k8s.io/v1';
  readonly kind: 'AdmissionReview';
  readonly response: AdmissionResponse;
}

/** What the webhook did with one review. */
export interface ReviewOutcome {
  readonly reply: AdmissionReviewReply;
  /** True when the pod was patched. */
  readonly patched: boolean;
  /** "CREATE Pod ns/name" (the request, for the log). */
  readonly request: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Answers one AdmissionReview: patches a pod being created to `enableServiceLinks: false`, allows
 * everything else unchanged.
 * @throws {Error} when `body` is not an AdmissionReview of admission.k8s.io/v1 with a request uid.
 */
export function disableServiceLinks(body: unknown): ReviewOutcome {
  const request = field(body, 'request');
  const uid = text(field(request, 'uid'));
  if (field(body, 'apiVersion') !== 'admission.k8s.io/v1' || uid === undefined) {
    throw new Error('not an AdmissionReview of admission.k8s.io/v1 with a request uid');
  }
  const kind = text(field(field(request, 'kind'), 'kind')) ?? '?';
  const operation = text(field(request, 'operation')) ?? '?';
  const object = field(request, 'object');
  const name =
    text(field(request, 'name')) ??
    text(field(field(object, 'metadata'), 'name')) ??
    `${text(field(field(object, 'metadata'), 'generateName')) ?? ''}…`;
  const described = `${operation} ${kind} ${text(field(request, 'namespace')) ?? ''}/${name}`;
  const patched = kind === 'Pod' && operation === 'CREATE';
  const response: AdmissionResponse = patched
    ? {
        uid,
        allowed: true,
        patchType: 'JSONPatch',
        patch: Buffer.from(JSON.stringify(disableServiceLinksPatch)).toString('base64'),
      }
    : { uid, allowed: true };
  return {
    reply: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response },
    patched,
    request: described,
  };
}
