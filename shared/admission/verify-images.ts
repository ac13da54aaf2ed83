import { Semaphore, isAbortError, isAppError, type Logger } from '../core/index.js';
import { isDigest } from '../oci/index.js';
import type { Decision, Reason, Verdict } from '../verdict/index.js';
import type { VerificationService } from '../verification/index.js';
import { MAX_SUBJECTS_IN_FLIGHT, REASON } from './constants.js';
import type { CheckedImage } from './image-ref.js';

/** What admission knows about one distinct image after verification (or after the deadline passed). */
export interface ImageVerdict {
  image: string;
  decision: Decision;
  /** The verified manifest digest; set whenever decision is 'allow'. */
  digest?: string;
  reasons: Reason[];
  /** The service's verdict, when it answered in time. */
  verdict?: Verdict;
}

export interface VerifyImagesOptions {
  /**
   * Required. Its signal fires at the answer deadline: verification is aborted and anything pending becomes
   * inconclusive. Read only when an image has to wait (a core Deadline makes its timer then); `{ signal }` also fits.
   */
  deadline: { readonly signal: AbortSignal };
  /** Optional. Default: silent. */
  logger?: Logger;
  /** Optional. Distinct images verified at once. Default: MAX_SUBJECTS_IN_FLIGHT (8). */
  concurrency?: number;
}

/** REASON.levelSkip of shared/verification (a reason code is public API, so it is safe to name here). */
const SKIPPED = 'OK_VERIFICATION_SKIPPED';

/**
 * Verifies the distinct images, at most `concurrency` at a time, and returns one ImageVerdict per image, in input order, no later
 * than the signal fires. Never throws: service errors, malformed verdicts and the deadline all become values.
 */
export async function verifyImages(
  images: readonly CheckedImage[],
  service: VerificationService,
  options: VerifyImagesOptions,
): Promise<Map<string, ImageVerdict>> {
  const unique = [...new Map(images.map((image) => [image.image, image])).values()];
  const settled = new Map<string, ImageVerdict>();
  const waiting: (CheckedImage & { ok: true })[] = [];
  for (const image of unique) {
    if (!image.ok) settled.set(image.image, invalid(image));
    else if (!settleFromMemory(image, service, settled)) waiting.push(image);
  }
  if (waiting.length > 0) {
    const signal = options.deadline.signal;
    const slots = new Semaphore(options.concurrency ?? MAX_SUBJECTS_IN_FLIGHT);
    const tasks = waiting.map(async (image) => {
      const result = await slots.run(() => verifyOne(image, service, signal, options.logger), signal).catch(() => undefined);
      if (result !== undefined && !signal.aborted) settled.set(image.image, result);
    });
    await untilAborted(Promise.all(tasks), signal);
  }
  const results = new Map<string, ImageVerdict>();
  for (const image of unique) {
    results.set(image.image, settled.get(image.image) ?? deadline(image.image));
  }
  const pending = unique.length - settled.size;
  if (pending > 0) options.logger?.log('warn', 'admission.deadline', { pending, images: unique.length });
  return results;
}

/** A verdict the service knows from memory settles the image with no await (a warm review is a lookup). */
function settleFromMemory(image: CheckedImage & { ok: true }, service: VerificationService, settled: Map<string, ImageVerdict>): boolean {
  try {
    const verdict = service.cached?.(image.image);
    if (verdict === undefined) return false;
    settled.set(image.image, fromVerdict(image, verdict));
    return true;
  } catch {
    return false; // verify() answers instead, errors included
  }
}

async function verifyOne(image: CheckedImage & { ok: true }, service: VerificationService, signal: AbortSignal, logger: Logger | undefined): Promise<ImageVerdict> {
  try {
    const verdict = await service.verify(image.image, { signal });
    return fromVerdict(image, verdict);
  } catch (error) {
    if (signal.aborted && (isAbortError(error) || isAbortError(signal.reason))) return deadline(image.image);
    if (isAppError(error)) {
      const decision: Decision = error.kind === 'invalid-input' || error.kind === 'verification-failed' ? 'deny' : 'inconclusive';
      const message = error.kind === 'internal' ? 'internal error' : error.message;
      return { image: image.image, decision, reasons: [{ code: error.code, message }] };
    }
    logger?.log('error', 'admission.verify-threw', { image: image.image, message: error instanceof Error ? error.message : String(error) });
    return { image: image.image, decision: 'inconclusive', reasons: [{ code: REASON.verifyFailed, message: 'verification failed unexpectedly' }] };
  }
}

/** A verdict is only trusted to allow when it names a well-formed digest that agrees with a digest the pod spec pinned. */
function fromVerdict(image: CheckedImage & { ok: true }, verdict: Verdict): ImageVerdict {
  const digest = verdict.subject.digest;
  const reasons = verdict.reasons.length > 0 ? verdict.reasons : defaultReasons(verdict.decision);
  switch (verdict.decision) {
    case 'allow':
      // A `skip`-level statement allows without resolving the image (no registry call): the same allow as REST and the
      // CLI, nothing to pin. Any other allow must name the digest it verified.
      if (digest === undefined && isSkipped(verdict)) return { image: image.image, decision: 'allow', reasons, verdict };
      if (digest === undefined || !isDigest(digest)) {
        return { image: image.image, decision: 'inconclusive', reasons: [{ code: REASON.noDigest, message: 'the verdict names no manifest digest' }], verdict };
      }
      if (image.digest !== undefined && image.digest !== digest) {
        const message = `verified ${digest} but the pod asks for ${image.digest}`;
        return { image: image.image, decision: 'deny', reasons: [{ code: REASON.digestMismatch, message }], verdict };
      }
      return { image: image.image, decision: 'allow', digest, reasons, verdict };
    case 'deny':
    case 'inconclusive':
      return { image: image.image, decision: verdict.decision, reasons, verdict };
  }
}

/** The statement's level is skip: the verdict's only reason says so. */
function isSkipped(verdict: Verdict): boolean {
  return verdict.reasons.length > 0 && verdict.reasons.every((r) => r.code === SKIPPED);
}

function defaultReasons(decision: Decision): Reason[] {
  return decision === 'allow' ? [] : [{ code: REASON.denied, message: `verification returned ${decision}` }];
}

function invalid(image: CheckedImage & { ok: false }): ImageVerdict {
  return { image: image.image, decision: 'deny', reasons: [{ code: REASON.invalidImage, message: image.message }] };
}

function deadline(image: string): ImageVerdict {
  return { image, decision: 'inconclusive', reasons: [{ code: REASON.deadline, message: 'verification did not finish before the admission deadline' }] };
}

async function untilAborted(work: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
