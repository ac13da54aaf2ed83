import type { SignatureOutcome } from '../notary/outcome.js';
import { NOTARY_SIGNATURE_ARTIFACT_TYPE, RATIFY_RESULT_VERSION, RATIFY_VERIFIER_NAME, RATIFY_VERIFIER_TYPE } from './constants.js';
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

/** Converts an allow/deny verdict to Ratify's shape: one report per signature, or one failing report when there was none. */
export function toRatifyResult(verdict: ImageVerdict): RatifyResult {
  const subject = verdict.digest === undefined ? verdict.image : `${verdict.image.split('@')[0]}@${verdict.digest}`;
  const signatures = verdict.verdict?.signatures ?? [];
  const reports = signatures.map((signature) => fromSignature(subject, signature));
  if (reports.length === 0) {
    reports.push(report(subject, verdict.decision === 'allow', summarise(verdict), { reasons: verdict.reasons }));
  }
  const trustgate = { decision: verdict.decision, reasons: verdict.reasons, ...(verdict.digest === undefined ? {} : { digest: verdict.digest }) };
  return { version: RATIFY_RESULT_VERSION, isSuccess: verdict.decision === 'allow', verifierReports: reports, trustgate };
}

function fromSignature(subject: string, signature: SignatureOutcome): RatifyVerifierReport {
  const message = signature.ok ? 'signature verification success' : `signature verification failed: ${signature.error?.code ?? 'ERR_VERIFICATION_DENIED'} ${signature.error?.message ?? ''}`.trim();
  const extensions: Record<string, unknown> = {
    ...(signature.signer ? { Issuer: signature.signer.issuer, SN: signature.signer.subject } : {}),
    ...(signature.signatureDigest ? { signatureDigest: signature.signatureDigest } : {}),
    envelopeMediaType: signature.envelopeMediaType,
    level: signature.level,
    checks: signature.checks,
  };
  return report(subject, signature.ok, message, extensions);
}

function report(subject: string, isSuccess: boolean, message: string, extensions: Record<string, unknown>): RatifyVerifierReport {
  return {
    subject,
    isSuccess,
    name: RATIFY_VERIFIER_NAME,
    verifierName: RATIFY_VERIFIER_NAME,
    type: RATIFY_VERIFIER_TYPE,
    verifierType: RATIFY_VERIFIER_TYPE,
    message,
    artifactType: NOTARY_SIGNATURE_ARTIFACT_TYPE,
    extensions,
  };
}

function summarise(verdict: ImageVerdict): string {
  if (verdict.reasons.length === 0) return verdict.decision === 'allow' ? 'verification success' : 'verification failed';
  return verdict.reasons.map((reason) => `${reason.code}: ${reason.message}`).join('; ');
}
