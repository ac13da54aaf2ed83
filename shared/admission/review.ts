import { z } from 'zod';
import { ADMISSION_API_VERSION, ADMISSION_REVIEW_KIND, MAX_STATUS_MESSAGE_LENGTH, MAX_WARNINGS, MAX_WARNING_LENGTH } from './constants.js';
import { AdmissionError } from './errors.js';

/**
 * AdmissionReview v1 (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#request).
 * Loose objects: the API server may add fields in later releases, and those must not break admission.
 */
const groupVersionKind = z.looseObject({ group: z.string(), version: z.string(), kind: z.string().min(1) });

const requestSchema = z.looseObject({
  uid: z.string().min(1).max(256),
  kind: groupVersionKind,
  subResource: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  operation: z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']),
  object: z.record(z.string(), z.unknown()).nullable().optional(),
  oldObject: z.record(z.string(), z.unknown()).nullable().optional(),
  dryRun: z.boolean().optional(),
});

export type AdmissionRequest = z.infer<typeof requestSchema>;

export interface AdmissionStatus {
  code: number;
  message: string;
  reason?: string;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: AdmissionStatus;
  warnings?: string[];
  patchType?: 'JSONPatch';
  /** base64 of the RFC 6902 JSON Patch document. */
  patch?: string;
  auditAnnotations?: Record<string, string>;
}

export interface AdmissionReviewResponse {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: typeof ADMISSION_REVIEW_KIND;
  response: AdmissionResponse;
}

/**
 * Validates a parsed JSON body as an AdmissionReview v1 request.
 * Throws AdmissionError ERR_ADMISSION_UNSUPPORTED_VERSION (other apiVersion/kind) or ERR_ADMISSION_INVALID_REVIEW.
 */
export function parseAdmissionReview(body: unknown): AdmissionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AdmissionError('ERR_ADMISSION_INVALID_REVIEW', 'invalid-input', 'the body is not an AdmissionReview object');
  }
  const { apiVersion, kind, request } = body as Record<string, unknown>;
  if (apiVersion !== ADMISSION_API_VERSION || kind !== ADMISSION_REVIEW_KIND) {
    throw new AdmissionError(
      'ERR_ADMISSION_UNSUPPORTED_VERSION',
      'invalid-input',
      `expected ${ADMISSION_API_VERSION} ${ADMISSION_REVIEW_KIND}, got ${describe(apiVersion)} ${describe(kind)}; set admissionReviewVersions: ["v1"]`,
    );
  }
  if (request === undefined || request === null) {
    throw new AdmissionError('ERR_ADMISSION_INVALID_REVIEW', 'invalid-input', 'the AdmissionReview has no "request" (the API server sends one; is this a response?)');
  }
  const parsed = requestSchema.safeParse(request);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${['request', ...issue.path].join('.')}: ${issue.message}`);
    throw new AdmissionError('ERR_ADMISSION_INVALID_REVIEW', 'invalid-input', issues.join('; '), { details: { issues } });
  }
  return parsed.data;
}

/** Wraps a response into the AdmissionReview the API server expects back (same uid as the request). */
export function toAdmissionReview(response: AdmissionResponse): AdmissionReviewResponse {
  const bounded: AdmissionResponse = { ...response };
  if (bounded.warnings) bounded.warnings = boundWarnings(bounded.warnings);
  if (bounded.status) bounded.status = { ...bounded.status, message: truncate(bounded.status.message, MAX_STATUS_MESSAGE_LENGTH) };
  if (bounded.auditAnnotations) {
    bounded.auditAnnotations = Object.fromEntries(Object.entries(bounded.auditAnnotations).map(([key, value]) => [key, truncate(value, MAX_STATUS_MESSAGE_LENGTH)]));
  }
  return { apiVersion: ADMISSION_API_VERSION, kind: ADMISSION_REVIEW_KIND, response: bounded };
}

function boundWarnings(warnings: string[]): string[] {
  const kept = warnings.slice(0, MAX_WARNINGS).map((warning) => truncate(warning, MAX_WARNING_LENGTH));
  if (warnings.length > MAX_WARNINGS) kept.push(`trustgate: ${warnings.length - MAX_WARNINGS} more warnings omitted`);
  return kept;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : String(value);
}
