/**
 * The only module that talks to the Allure runtime (allure-js-commons). The suites' framework
 * (suites/framework/area.ts) calls it to label each check and, when a check fails, to attach its
 * evidence: quiet on success, evidence on failure. Outside allure-jest's environment (unit tests,
 * jest pointed at a cluster with another environment) every call is a no-op.
 *
 * The area is the Allure suite: area.ts registers an area's checks under `describe(area)`, which
 * allure-jest records as the `parentSuite` label of every test, skipped ones included, so the
 * report shows one suite per area. Skipped checks carry their reason in their name
 * ("… (skipped: reason)") because jest never runs the body of a skipped test.
 */
import * as allure from 'allure-js-commons';

/** What identifies a check in the report. */
export interface CheckLabels {
  readonly area: string;
  readonly checkId: string;
  /** kube-proxy's configured mode ("" is the default, iptables), undefined without kube-proxy. */
  readonly proxyMode: string | undefined;
}

/** A piece of evidence as the report shows it: a title and a text body. */
export interface AttachmentItem {
  readonly title: string;
  readonly body: string;
}

/** Labels the running check with its id (`checkId`), area and kube-proxy mode. */
export async function labelCheck(labels: CheckLabels): Promise<void> {
  await allure.labels(
    { name: 'checkId', value: labels.checkId },
    { name: 'area', value: labels.area },
    { name: 'proxyMode', value: proxyModeName(labels.proxyMode) },
  );
}

/** Attaches evidence items to the running check, one text/plain attachment each. */
export async function attachEvidence(items: readonly AttachmentItem[]): Promise<void> {
  for (const item of items) {
    await allure.attachment(item.title, item.body, { contentType: allure.ContentType.TEXT });
  }
}

/** Runs `fn` as a named step of the running check (shown nested in the report). */
export async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return allure.step(name, fn);
}

function proxyModeName(mode: string | undefined): string {
  if (mode === undefined) return 'none';
  return mode === '' ? 'iptables' : mode;
}
