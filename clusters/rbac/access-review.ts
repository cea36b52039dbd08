/**
 * Asking the API server what the current user may do (SelfSubjectAccessReview, what
 * `kubectl auth can-i` sends), for the runner's accesses: the authorizer's own answer, not a
 * reading of the manifest.
 */
import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { sampleOwnNamespace, type Access, type PathAccess } from './runner-access.ts';

/** The authorizer's answer for one access. */
export interface Review {
  readonly allowed: boolean;
  /** Why, when the authorizer says (RBAC names the binding that allowed it). */
  readonly reason: string;
}

/** Whether the user of `kc` may make `access` (an "own" access asks about a knc- namespace). */
export async function reviewAccess(kc: KubeConfig, access: Access): Promise<Review> {
  const [resource = '', subresource] = access.resource.split('/');
  const namespace =
    access.scope === 'own'
      ? sampleOwnNamespace
      : access.scope === 'kube-system'
        ? 'kube-system'
        : undefined;
  const answer = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: {
      spec: {
        resourceAttributes: {
          verb: access.verb,
          group: access.group,
          resource,
          ...(subresource === undefined ? {} : { subresource }),
          ...(namespace === undefined ? {} : { namespace }),
          ...(access.name === undefined ? {} : { name: access.name }),
        },
      },
    },
  });
  return { allowed: answer.status?.allowed === true, reason: answer.status?.reason ?? '' };
}

/** Whether the user of `kc` may make a non-resource request. */
export async function reviewPath(kc: KubeConfig, access: PathAccess): Promise<Review> {
  const answer = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { nonResourceAttributes: { verb: access.verb, path: access.path } } },
  });
  return { allowed: answer.status?.allowed === true, reason: answer.status?.reason ?? '' };
}
