import type { Descriptor } from '../oci/index.js';
import type { EvidenceCheck, EvidenceOutcome, Reason } from '../verdict/index.js';
import { DCT_CODES, DCT_OK } from './errors.js';
import type { DctError } from './errors.js';
import { targetHashHex } from './meta-hashes.js';
import type { FileMeta } from './metadata.js';
import type { RoleFinding } from './target-search.js';
import type { TrustChain } from './trust-chain.js';

const SCHEME = 'dct';
const MAX_TEXT = 512;

/** What the outcomes of one trust root are about. */
export interface OutcomeContext {
  trustRoot: string;
  /** The tag (tag references) or the subject digest (digest references). */
  label: string;
  subject: Descriptor;
  requiredRoles: readonly string[];
  gun: string;
  server: string;
}

/** True when the target's signed sha256 (or sha512) and length are the subject manifest's. */
export function bindsSubject(meta: FileMeta, subject: Descriptor): boolean {
  const [algorithm, hex] = subject.digest.split(':');
  if ((algorithm !== 'sha256' && algorithm !== 'sha512') || hex === undefined) return false;
  return targetHashHex(meta, algorithm) === hex && meta.length === subject.size;
}

/**
 * One outcome per role that spoke about the target. ok needs: a verified chain and role, the target bound to the
 * subject, every role that signed the tag agreeing on it, and every required role having signed it.
 */
export function roleOutcomes(context: OutcomeContext, chain: TrustChain, findings: RoleFinding[]): EvidenceOutcome[] {
  if (findings.length === 0) return [chainFailure(context, 'targets', unsigned(context))];
  const bound = (finding: RoleFinding) => finding.target !== undefined && bindsSubject(finding.target.meta, context.subject);
  const disagree = findings.some((finding) => finding.target !== undefined && !bound(finding));
  const missing = context.requiredRoles.filter((role) => !findings.some((finding) => finding.role === role && bound(finding)));
  return findings.map((finding) => {
    const checks: EvidenceCheck[] = [{ name: 'trust-chain', action: 'enforce', ok: true }];
    checks.push(finding.error ? check('role', reason(finding.error)) : { name: 'role', action: 'enforce', ok: true });
    if (finding.target) {
      checks.push(bound(finding) ? { name: 'digest', action: 'enforce', ok: true } : check('digest', mismatch(context, finding)));
      if (bound(finding) && disagree) checks.push(check('agreement', { code: DCT_CODES.digestMismatch, message: `another role signed ${context.label} for a different manifest` }));
    }
    checks.push(missing.length === 0 ? { name: 'required-roles', action: 'enforce', ok: true } : check('required-roles', { code: DCT_CODES.roleMissing, message: `required role(s) ${missing.join(', ')} did not sign ${context.label} for this manifest` }));
    const error = checks.find((c) => !c.ok)?.error;
    const outcome: EvidenceOutcome = {
      scheme: SCHEME,
      evidence: bounded(`${finding.role}:${finding.target?.name ?? context.label}`),
      trustRoot: context.trustRoot,
      ok: error === undefined,
      checks,
      expiresAt: finding.expiresAt.toISOString(),
      details: details(context, finding),
    };
    if (finding.signers.length > 0) outcome.signer = { subject: bounded(`${finding.role} ${finding.signers.join(',')}`), issuer: bounded(`root ${chain.rootSigners.join(',')}`) };
    if (error) outcome.error = error;
    return outcome;
  });
}

/** The chain itself failed (bad root, tampered timestamp, expiry…): one failed outcome naming the tag. */
export function chainFailure(context: OutcomeContext, role: string, error: Reason): EvidenceOutcome {
  return {
    scheme: SCHEME,
    evidence: bounded(`${role}:${context.label}`),
    trustRoot: context.trustRoot,
    ok: false,
    checks: [check('trust-chain', error)],
    error,
    details: { gun: bounded(context.gun), server: bounded(context.server) },
  };
}

export function reason(error: DctError): Reason {
  return { code: error.code, message: bounded(error.message) };
}

function unsigned(context: OutcomeContext): Reason {
  return { code: DCT_CODES.unsigned, message: `no trusted role of ${context.gun} signed ${context.label}` };
}

function mismatch(context: OutcomeContext, finding: RoleFinding): Reason {
  const signed = finding.target ? (targetHashHex(finding.target.meta, 'sha256') ?? '?') : '?';
  return { code: DCT_CODES.digestMismatch, message: bounded(`${finding.role} signed ${context.label} as sha256:${signed} (${finding.target?.meta.length ?? 0} bytes), not ${context.subject.digest} (${context.subject.size} bytes)`) };
}

function check(name: string, error: Reason): EvidenceCheck {
  return { name, action: 'enforce', ok: false, error };
}

function details(context: OutcomeContext, finding: RoleFinding): Record<string, string> {
  const result: Record<string, string> = { gun: bounded(context.gun), server: bounded(context.server), role: bounded(finding.role) };
  if (finding.version !== undefined) result.version = String(finding.version);
  if (finding.target) result.targetDigest = `sha256:${targetHashHex(finding.target.meta, 'sha256') ?? '?'}`;
  return result;
}

export function okReason(): Reason {
  return { code: DCT_OK, message: 'signed with Docker Content Trust' };
}

function bounded(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
