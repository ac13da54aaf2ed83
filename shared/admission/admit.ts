import { silentLogger, type Logger } from '../core/index.js';
import type { VerificationService } from '../verification/index.js';
import { MAX_IMAGES_PER_REVIEW, REASON } from './constants.js';
import { checkImage, type CheckedImage } from './image-ref.js';
import type { AdmissionPolicy } from './options.js';
import { matchingPattern } from './patterns.js';
import { pinPatch } from './pin.js';
import type { AdmissionRequest, AdmissionResponse } from './review.js';
import { verifyImages, type ImageVerdict } from './verify-images.js';
import { extractImages, sitesToVerify, type ImageSite } from './workloads.js';

export interface AdmitDeps {
  /** Required. */
  service: VerificationService;
  /** Optional. Default: silent. */
  logger?: Logger;
}

export interface AdmitOptions {
  /** Required. */
  policy: AdmissionPolicy;
  /** Required. Its signal fires at the answer deadline (see answerBudgetMs); read only if an image has to wait. */
  deadline: { readonly signal: AbortSignal };
  /** Optional. Add a JSON Patch pinning every verified image to its digest (mutating webhook). Default: false. */
  pin?: boolean;
}

/** One reason the object cannot be admitted as is. */
interface Failure {
  subject: string;
  codes: string[];
  message: string;
}

/**
 * Decides one AdmissionRequest: extract images, skip what is excluded or unchanged, verify the rest concurrently
 * before the deadline, then apply the mode (deny | warn | audit). Never throws; dryRun is answered the same way.
 */
export async function admit(request: AdmissionRequest, deps: AdmitDeps, options: AdmitOptions): Promise<AdmissionResponse> {
  const { policy } = options;
  const logger = deps.logger ?? silentLogger;
  const uid = request.uid;
  const context = { uid, namespace: request.namespace, kind: request.kind.kind, name: request.name, operation: request.operation, dryRun: request.dryRun === true };
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return { uid, allowed: true };
  if (request.namespace !== undefined && policy.excludedNamespaces.has(request.namespace)) return { uid, allowed: true };

  const extraction = extractImages(request.kind, request.object);
  if (extraction.kind === 'unsupported') {
    logger.log('info', 'admission.unsupported-kind', { ...context, kindName: extraction.kindName });
    return { uid, allowed: true, warnings: [`trustgate: ${extraction.kindName} objects are not inspected for images`] };
  }
  const failures: Failure[] = [];
  const warnings: string[] = [];
  let sites: ImageSite[] = [];
  let verdicts = new Map<string, ImageVerdict>();
  if (extraction.kind === 'invalid') {
    failures.push({ subject: 'object', codes: [REASON.invalidObject], message: extraction.problem });
  } else {
    sites = extraction.sites;
    const oldExtraction = request.oldObject ? extractImages(request.kind, request.oldObject) : undefined;
    const candidates = distinct(sitesToVerify(request.operation, sites, oldExtraction).map((site) => checkImage(site.image, site.container)));
    if (candidates.length > MAX_IMAGES_PER_REVIEW) {
      failures.push({ subject: 'object', codes: [REASON.tooManyImages], message: `${candidates.length} images, over the limit of ${MAX_IMAGES_PER_REVIEW}` });
    } else {
      const toVerify = candidates.filter((image) => !(image.ok && matchingPattern(policy.allowImages, image.name)));
      verdicts = await verifyImages(toVerify, deps.service, { deadline: options.deadline, logger });
      for (const verdict of verdicts.values()) classify(verdict, policy, failures, warnings);
    }
  }

  const response = applyMode(uid, failures, warnings, policy);
  if (failures.length > 0) logger.log('warn', 'admission.failed-images', { ...context, mode: policy.mode, allowed: response.allowed, failures });
  if (options.pin && response.allowed) {
    const patch = pinPatch(sites, verdicts, policy.pinMode);
    if (patch.length > 0) Object.assign(response, { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') });
  }
  return response;
}

function classify(verdict: ImageVerdict, policy: AdmissionPolicy, failures: Failure[], warnings: string[]): void {
  const codes = verdict.reasons.map((reason) => reason.code);
  const message = verdict.reasons[0]?.message ?? verdict.decision;
  switch (verdict.decision) {
    case 'allow':
      return;
    case 'inconclusive':
      if (policy.onInconclusive === 'allow') {
        warnings.push(`trustgate: ${verdict.image} admitted without a verdict (${codes.join(', ')})`);
        return;
      }
      failures.push({ subject: verdict.image, codes, message });
      return;
    case 'deny':
      failures.push({ subject: verdict.image || '(no image)', codes, message });
      return;
  }
}

function applyMode(uid: string, failures: Failure[], warnings: string[], policy: AdmissionPolicy): AdmissionResponse {
  const withWarnings = (response: AdmissionResponse): AdmissionResponse => (warnings.length > 0 ? { ...response, warnings: [...(response.warnings ?? []), ...warnings] } : response);
  if (failures.length === 0) return withWarnings({ uid, allowed: true });
  const lines = failures.map((failure) => `${failure.subject} [${failure.codes.join(', ')}]: ${failure.message}`);
  const summary = `trustgate: ${failures.length} image check(s) failed: ${lines.join('; ')}`;
  switch (policy.mode) {
    case 'deny':
      return withWarnings({ uid, allowed: false, status: { code: 403, reason: 'Forbidden', message: summary } });
    case 'warn':
      return withWarnings({ uid, allowed: true, warnings: lines.map((line) => `trustgate: would deny ${line}`), auditAnnotations: { 'would-deny': summary } });
    case 'audit':
      return withWarnings({ uid, allowed: true, auditAnnotations: { 'would-deny': summary } });
  }
}

function distinct(images: CheckedImage[]): CheckedImage[] {
  return [...new Map(images.map((image) => [image.image, image])).values()];
}
