import { silentLogger, type Logger } from '../core/index.js';
import type { VerificationService } from '../verification/index.js';
import { GATEKEEPER_API_VERSION, MAX_PROVIDER_KEYS, MAX_REFERENCE_LENGTH, PROVIDER_REQUEST_KIND, PROVIDER_RESPONSE_KIND, REASON } from './constants.js';
import { AdmissionError } from './errors.js';
import { checkImage, pinnedImage, type CheckedImage, type PinMode } from './image-ref.js';
import { toRatifyResult, type RatifyResult } from './ratify.js';
import { verifyImages, type ImageVerdict } from './verify-images.js';

/** Gatekeeper external data wire types (https://open-policy-agent.github.io/gatekeeper/website/docs/externaldata). */
export interface ProviderItem {
  key: string;
  value?: RatifyResult | string;
  error?: string;
}

export interface ProviderResponse {
  apiVersion: typeof GATEKEEPER_API_VERSION;
  kind: typeof PROVIDER_RESPONSE_KIND;
  response: { idempotent: boolean; items: ProviderItem[]; systemError: string };
}

/** verify: Ratify-compatible verification result per key; mutate: the digest-pinned reference per key. */
export type ProviderKind = { kind: 'verify' } | { kind: 'mutate'; pinMode: PinMode };

/** Returns the request's keys. Throws AdmissionError ERR_GATEKEEPER_INVALID_REQUEST when the body is not a ProviderRequest. */
export function parseProviderRequest(body: unknown): unknown[] {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const request = record.request as Record<string, unknown> | undefined;
  if (record.apiVersion !== GATEKEEPER_API_VERSION || record.kind !== PROVIDER_REQUEST_KIND || typeof request !== 'object' || request === null || !Array.isArray(request.keys)) {
    throw new AdmissionError('ERR_GATEKEEPER_INVALID_REQUEST', 'invalid-input', `expected ${GATEKEEPER_API_VERSION} ${PROVIDER_REQUEST_KIND} with request.keys[]`);
  }
  return request.keys;
}

export interface ProviderDeps {
  /** Required. */
  service: VerificationService;
  /** Optional. Default: silent. */
  logger?: Logger;
}

/**
 * Answers a batch of keys with exactly one item per key, in order, whatever happens: malformed or duplicate keys, Ratify's
 * `[namespace]` prefix, service errors, the deadline, even a bug here (then every key carries an error and systemError is set).
 */
export async function answerProviderRequest(keys: readonly unknown[], provider: ProviderKind, deps: ProviderDeps, deadline: { readonly signal: AbortSignal }): Promise<ProviderResponse> {
  const logger = deps.logger ?? silentLogger;
  let items: ProviderItem[];
  let systemError = '';
  try {
    const parsed = keys.map((key, index) => parseKey(key, index));
    const verdicts = await verifyImages(parsed.flatMap((entry) => (entry.image?.ok ? [entry.image] : [])), deps.service, { deadline, logger });
    items = parsed.map((entry) => itemFor(entry, verdicts, provider));
  } catch (error) {
    logger.log('error', 'gatekeeper.failed', { message: error instanceof Error ? error.message : String(error), keys: keys.length });
    items = [];
    systemError = `${REASON.internal}: the provider failed`;
  }
  // The one invariant Gatekeeper templates depend on: a key without an item would be silently admitted.
  const complete = keys.map((key, index) => items[index] ?? { key: keyText(key), error: `${REASON.internal}: no result for this key` });
  return { apiVersion: GATEKEEPER_API_VERSION, kind: PROVIDER_RESPONSE_KIND, response: { idempotent: true, items: complete, systemError } };
}

interface ParsedKey {
  key: string;
  image?: CheckedImage;
  error?: string;
}

/** `[namespace]registry/repo:tag` (Ratify's key form) or a bare reference. */
function parseKey(key: unknown, index: number): ParsedKey {
  if (typeof key !== 'string') return { key: keyText(key), error: `${REASON.invalidImage}: key ${index} is not a string` };
  if (index >= MAX_PROVIDER_KEYS) return { key, error: `${REASON.tooManyKeys}: more than ${MAX_PROVIDER_KEYS} keys in one request` };
  if (key.length > MAX_REFERENCE_LENGTH) return { key, error: `${REASON.invalidImage}: key longer than ${MAX_REFERENCE_LENGTH} characters` };
  const prefixed = /^\[([^\]]*)\](.*)$/s.exec(key);
  const image = checkImage(prefixed ? (prefixed[2] ?? '') : key);
  return image.ok ? { key, image } : { key, error: `${REASON.invalidImage}: ${image.message}` };
}

function itemFor(entry: ParsedKey, verdicts: ReadonlyMap<string, ImageVerdict>, provider: ProviderKind): ProviderItem {
  if (entry.error !== undefined || entry.image === undefined) return { key: entry.key, error: entry.error ?? REASON.internal };
  const verdict = verdicts.get(entry.image.image);
  if (verdict === undefined) return { key: entry.key, error: `${REASON.internal}: no verdict` };
  if (verdict.decision === 'inconclusive') return { key: entry.key, error: reasonText(verdict) };
  switch (provider.kind) {
    case 'verify':
      return { key: entry.key, value: toRatifyResult(verdict) };
    case 'mutate':
      if (verdict.decision !== 'allow') return { key: entry.key, error: reasonText(verdict) };
      if (verdict.digest === undefined) return { key: entry.key, value: entry.image.image }; // skip level: nothing verified to pin
      return { key: entry.key, value: pinnedImage(entry.image.image, verdict.digest, provider.pinMode) };
  }
}

function reasonText(verdict: ImageVerdict): string {
  const first = verdict.reasons[0];
  return first ? `${first.code}: ${first.message}` : `${REASON.denied}: verification returned ${verdict.decision}`;
}

/** The key as Gatekeeper will look it up; never throws, whatever the value (a hostile toJSON included). */
function keyText(key: unknown): string {
  if (typeof key === 'string') return key;
  try {
    return (JSON.stringify(key) ?? String(key)).slice(0, MAX_REFERENCE_LENGTH);
  } catch {
    return '[unprintable key]';
  }
}
