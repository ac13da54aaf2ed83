import { resolveLevel } from '../policy/index.js';
import { descriptorMatches, missingUserMetadata } from './payload.js';
import { NotaryError, NotaryErrorCode } from './errors.js';
import type { NotaryErrorCodeValue } from './errors.js';
import { checkAuthenticTimestamp } from './checks/authentic-timestamp.js';
import { checkAuthenticity } from './checks/authenticity.js';
import type { VerificationContext, VerifySignatureInput } from './checks/context.js';
import { checkExpiry } from './checks/expiry.js';
import { checkIntegrity } from './checks/integrity.js';
import { checkRevocation } from './checks/revocation.js';
import type { CheckName, CheckResult, OutcomeError, SignatureOutcome, SignerFacts } from './outcome.js';

type Check = (context: VerificationContext) => Promise<void>;

/**
 * The checks in the order the reference runs them (notary-spec digest §6; the spec lists authentic
 * timestamp before expiry — the verdict is the same, only the first reported failure differs).
 */
const CHECKS: ReadonlyArray<readonly [CheckName, Check]> = [
  ['integrity', checkIntegrity],
  ['authenticity', checkAuthenticity],
  ['expiry', checkExpiry],
  ['authenticTimestamp', checkAuthenticTimestamp],
  ['revocation', checkRevocation],
];

/**
 * Verifies one Notary signature against a trust policy statement (trust-store-trust-policy.md
 * "Signature Verification details"). Each check yields a result: `enforce` failures stop and fail the
 * signature, `log` failures are recorded and verification goes on, `skip` does not run. Integrity is always
 * enforced. After the checks, the payload must name the subject (mediaType, digest, size) and carry the
 * required user metadata. Never throws for bad input and never reports ok after an exception.
 */
export async function verifySignature(input: VerifySignatureInput): Promise<SignatureOutcome> {
  let resolved: ReturnType<typeof resolveLevel>;
  try {
    resolved = resolveLevel(input.statement.signatureVerification);
  } catch (error) {
    const outcome: SignatureOutcome = { envelopeMediaType: input.envelopeMediaType, level: 'strict', ok: false, checks: [] };
    return fail(outcome, { code: NotaryErrorCode.checkCrashed, message: `the trust policy statement is invalid: ${toOutcomeError(error).message}` });
  }
  const outcome: SignatureOutcome = { envelopeMediaType: input.envelopeMediaType, level: resolved.level, ok: false, checks: [] };
  if (resolved.level === 'skip') {
    outcome.checks = CHECKS.map(([check]) => ({ check, action: 'skip', ok: true }));
    outcome.ok = true;
    return outcome;
  }
  const context: VerificationContext = { input, actions: resolved.actions, verifyTimestamp: resolved.verifyTimestamp, changesAt: [] };
  for (const [check, run] of CHECKS) {
    // Integrity is enforced whatever the table says; policies cannot override it.
    const action = check === 'integrity' ? 'enforce' : context.actions[check];
    const result = action === 'skip' ? { check, action, ok: true } : await runCheck(check, action, run, context);
    outcome.checks.push(result);
    if (check === 'integrity') describeSignature(outcome, context);
    if (!result.ok && action === 'enforce') return fail(outcome, result.error);
  }
  const { envelope } = context;
  if (!envelope) return fail(outcome, { code: NotaryErrorCode.checkCrashed, message: 'integrity did not produce an envelope' });
  if (!descriptorMatches(envelope.payload.targetArtifact, input.subject)) {
    return fail(outcome, { code: NotaryErrorCode.descriptorMismatch, message: 'content descriptor mismatch: the signature is for another artifact' });
  }
  const missing = missingUserMetadata(envelope.payload.targetArtifact, input.userMetadata ?? {});
  if (missing.length > 0) {
    return fail(outcome, { code: NotaryErrorCode.userMetadata, message: `unable to find specified metadata in the signature: ${missing.join(', ')}` });
  }
  if (context.timestamp) outcome.timestampTime = context.timestamp.genTime.toISOString();
  if (context.changesAt.length > 0) outcome.expiresAt = new Date(Math.min(...context.changesAt.map((d) => d.getTime()))).toISOString();
  outcome.ok = true;
  return outcome;
}

async function runCheck(check: CheckName, action: 'enforce' | 'log', run: Check, context: VerificationContext): Promise<CheckResult> {
  try {
    await run(context);
    return { check, action, ok: true };
  } catch (error) {
    return { check, action, ok: false, error: toOutcomeError(error) };
  }
}

function toOutcomeError(error: unknown): OutcomeError {
  if (error instanceof NotaryError) return { code: error.code, message: error.message };
  const code: NotaryErrorCodeValue = NotaryErrorCode.checkCrashed;
  return { code, message: error instanceof Error ? error.message : String(error) };
}

function fail(outcome: SignatureOutcome, error: OutcomeError | undefined): SignatureOutcome {
  outcome.ok = false;
  outcome.error = error ?? { code: NotaryErrorCode.checkCrashed, message: 'a check failed without an error' };
  delete outcome.expiresAt;
  return outcome;
}

/** Signer facts for the outcome, as soon as integrity has parsed the envelope and chain. */
function describeSignature(outcome: SignatureOutcome, context: VerificationContext): void {
  const { envelope, chain } = context;
  if (!envelope || !chain || chain.length === 0) return;
  const leaf = chain[0];
  if (!leaf) return;
  outcome.signingScheme = envelope.signed.signingScheme;
  outcome.signingTime = envelope.signed.signingTime.toISOString();
  const signer: SignerFacts = {
    subject: leaf.subject,
    issuer: leaf.issuer,
    thumbprints: chain.map((cert) => cert.thumbprint),
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
  };
  outcome.signer = signer;
}
