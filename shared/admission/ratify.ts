import type { EvidenceOutcome } from '../verdict/index.js';
import { RATIFY_RESULT_VERSION, ratifyVerifierOf, TRUSTGATE_VERIFIER, type RatifyVerifier } from './constants.js';
import type { ImageVerdict } from './verify-images.js';

/** One verifier report, with the fields Ratify's VerifierResult serialises (and its notation verifier's extensions). */
export interface RatifyVerifierReport {
  subject: string;
  isSuccess: boolean;
  name: string;
  verifierName: string;
  type: string;
  verifierType: string;
  message: string;
  artifactType: string;
  extensions: Record<string, unknown>;
}

/**
 * A Gatekeeper item value shaped like Ratify's verification result (`isSuccess`, `verifierReports[]`), so constraint
 * templates written for Ratify read it unchanged. `trustgate` carries our own decision and reason codes.
 */
export interface RatifyResult {
  version: string;
  isSuccess: boolean;
  verifierReports: RatifyVerifierReport[];
  trustgate: { decision: string; digest?: string; reasons: Array<{ code: string; message: string }> };
}

/**
 * Converts an allow/deny verdict to Ratify's shape: one report per piece of evidence (verifier named per scheme:
 * Notary keeps Ratify's `notation` type, so existing templates match), or one failing report when there was none.
 */
export function toRatifyResult(verdict: ImageVerdict): RatifyResult {
  const subject = verdict.digest === undefined ? verdict.image : `${verdict.image.split('@')[0]}@${verdict.digest}`;
  const evidence = verdict.verdict?.evidence ?? [];
  const reports = evidence.map((outcome) => fromEvidence(subject, outcome));
  if (reports.length === 0) {
    reports.push(report(subject, verifierWithoutEvidence(verdict), verdict.decision === 'allow', summarise(verdict), { reasons: verdict.reasons }));
  }
  const trustgate = { decision: verdict.decision, reasons: verdict.reasons, ...(verdict.digest === undefined ? {} : { digest: verdict.digest }) };
  return { version: RATIFY_RESULT_VERSION, isSuccess: verdict.decision === 'allow', verifierReports: reports, trustgate };
}

function fromEvidence(subject: string, outcome: EvidenceOutcome): RatifyVerifierReport {
  const message = outcome.ok ? 'signature verification success' : `signature verification failed: ${outcome.error?.code ?? 'ERR_VERIFICATION_DENIED'} ${outcome.error?.message ?? ''}`.trim();
  const extensions: Record<string, unknown> = {
    scheme: outcome.scheme,
    ...(outcome.signer ? { Issuer: outcome.signer.issuer, SN: outcome.signer.subject } : {}),
    ...(outcome.evidence ? { signatureDigest: outcome.evidence } : {}),
    ...(outcome.trustRoot ? { trustRoot: outcome.trustRoot } : {}),
    ...outcome.details,
    checks: outcome.checks,
  };
  return report(subject, ratifyVerifierOf(outcome.scheme), outcome.ok, message, extensions);
}

function report(subject: string, verifier: RatifyVerifier, isSuccess: boolean, message: string, extensions: Record<string, unknown>): RatifyVerifierReport {
  return {
    subject,
    isSuccess,
    name: verifier.name,
    verifierName: verifier.name,
    type: verifier.type,
    verifierType: verifier.type,
    message,
    artifactType: verifier.artifactType,
    extensions,
  };
}

/**
 * Without evidence there is no scheme to name. Notation's verifier when a Notation statement applied (its level is in
 * the verdict) or no policy did, as before; trustgate's own when a verification policy decided without any evidence
 * (e.g. no cosign signature found), rather than pretending Notation looked.
 */
function verifierWithoutEvidence(verdict: ImageVerdict): RatifyVerifier {
  const policy = verdict.verdict?.policy;
  return policy === undefined || policy.level !== undefined ? ratifyVerifierOf(undefined) : TRUSTGATE_VERIFIER;
}

function summarise(verdict: ImageVerdict): string {
  if (verdict.reasons.length === 0) return verdict.decision === 'allow' ? 'verification success' : 'verification failed';
  return verdict.reasons.map((reason) => `${reason.code}: ${reason.message}`).join('; ');
}
