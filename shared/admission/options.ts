import { ALWAYS_EXCLUDED_NAMESPACES } from './constants.js';
import { AdmissionError } from './errors.js';
import type { PinMode } from './image-ref.js';
import { compileImagePatterns, type ImagePattern } from './patterns.js';

/** deny: reject failing images; warn: admit with warnings; audit: admit and log the denial that would have happened. */
export type AdmissionMode = 'deny' | 'warn' | 'audit';

/** Admission settings as configuration gives them (TRUSTGATE_ADMISSION_*, TRUSTGATE_MUTATE_PIN). */
export interface AdmissionOptions {
  /** Optional. Default: 'deny'. */
  mode?: AdmissionMode;
  /** Optional. What an inconclusive verdict (registry down, deadline) counts as. Default: 'deny'. */
  onInconclusive?: 'deny' | 'allow';
  /** Optional. Namespaces admitted without inspection, in addition to kube-system. Default: []. */
  excludedNamespaces?: readonly string[];
  /** Optional. Repository patterns admitted without verification (system images), see compileImagePatterns. Default: []. */
  allowImages?: readonly string[];
  /** Optional. Time kept back from the API server's timeout for the answer's trip back. Default: 1500 ms. */
  safetyMarginMs?: number;
  /** Optional. How the mutating webhook pins verified images. Default: 'tag-digest'. */
  pinMode?: PinMode;
}

/** The options after defaults and validation, with patterns compiled. */
export interface AdmissionPolicy {
  mode: AdmissionMode;
  onInconclusive: 'deny' | 'allow';
  excludedNamespaces: ReadonlySet<string>;
  allowImages: readonly ImagePattern[];
  safetyMarginMs: number;
  pinMode: PinMode;
}

const MAX_SAFETY_MARGIN_MS = 25_000;

/** Applies defaults and validates. Throws AdmissionError ERR_CONFIG for a value that cannot be right. */
export function resolveAdmissionPolicy(options: AdmissionOptions = {}): AdmissionPolicy {
  const safetyMarginMs = options.safetyMarginMs ?? 1_500;
  if (!Number.isFinite(safetyMarginMs) || safetyMarginMs < 0 || safetyMarginMs > MAX_SAFETY_MARGIN_MS) {
    throw new AdmissionError('ERR_CONFIG', 'config', `the admission safety margin must be 0–${MAX_SAFETY_MARGIN_MS} ms, got ${safetyMarginMs}`);
  }
  const namespaces = [...ALWAYS_EXCLUDED_NAMESPACES, ...(options.excludedNamespaces ?? [])].map((name) => name.trim()).filter(Boolean);
  for (const name of namespaces) {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
      throw new AdmissionError('ERR_CONFIG', 'config', `"${name}" is not a namespace name`);
    }
  }
  return {
    mode: options.mode ?? 'deny',
    onInconclusive: options.onInconclusive ?? 'deny',
    excludedNamespaces: new Set(namespaces),
    allowImages: compileImagePatterns(options.allowImages ?? []),
    safetyMarginMs,
    pinMode: options.pinMode ?? 'tag-digest',
  };
}
