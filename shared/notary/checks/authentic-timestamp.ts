import { chainValidAt, timestampCoversChain, verifyTimestampToken } from '../../pki/index.js';
import type { Certificate } from '../../pki/index.js';
import { SIGNING_SCHEME_SIGNING_AUTHORITY } from '../constants.js';
import { NotaryError, NotaryErrorCode, notaryFailure } from '../errors.js';
import { verified } from './context.js';
import type { VerificationContext } from './context.js';
import { chainRevocation } from './revocation.js';
import { hasStoreOfType, loadAnchors } from './trust-anchors.js';

/**
 * Authentic timestamp (trust-store-trust-policy.md "Signature Verification details", step
 * "Validate Authentic Timestamp"; notary-spec digest §10).
 * - signingAuthority: every chain certificate valid at the authentic signing time.
 * - notary.x509: the RFC 3161 countersignature is verified when the statement has a tsa store and
 *   verifyTimestamp is `always` (or `afterCertExpiry` and a chain certificate has expired); then every chain
 *   certificate must be valid at genTime ± accuracy and the TSA chain must not be revoked or unknown.
 *   Otherwise every chain certificate must be valid now.
 */
export async function checkAuthenticTimestamp(context: VerificationContext): Promise<void> {
  const { envelope, chain } = verified(context);
  const at = context.input.at;
  if (envelope.signed.signingScheme === SIGNING_SCHEME_SIGNING_AUTHORITY) {
    requireValidAt(chain, envelope.signed.signingTime, 'when the digital signature was produced');
    return;
  }
  const expiredNow = chain.some((cert) => cert.notAfter.getTime() < at.getTime());
  const triggered = hasStoreOfType(context.input.statement, 'tsa') && (context.verifyTimestamp === 'always' || expiredNow);
  if (!triggered) {
    requireValidAt(chain, at, 'at the verification time');
    context.changesAt.push(earliestNotAfter(chain));
    return;
  }
  await verifyCountersignature(context, chain, envelope.timestampToken, envelope.signature);
}

async function verifyCountersignature(
  context: VerificationContext,
  chain: readonly Certificate[],
  token: Uint8Array | undefined,
  signature: Uint8Array,
): Promise<void> {
  if (!token) throw notaryFailure(NotaryErrorCode.timestampMissing, 'no timestamp countersignature was found in the signature envelope');
  const anchors = await loadAnchors(context.input.statement, context.input.trustStore, 'tsa', NotaryErrorCode.timestampInvalid);
  if (anchors.length === 0) throw notaryFailure(NotaryErrorCode.timestampInvalid, 'no trusted TSA certificate found in trust store');
  const verifiedToken = await pkiStep(NotaryErrorCode.timestampInvalid, 'timestamp countersignature is not valid', () =>
    verifyTimestampToken(token, { signature, tsaAnchors: anchors }),
  );
  const { genTime, accuracyMs, tsaChain } = verifiedToken;
  await pkiStep(NotaryErrorCode.certificateValidity, 'the timestamp is outside the signing certificate validity', () =>
    timestampCoversChain(chain, genTime, accuracyMs),
  );
  // The TSA chain's revocation is part of this check: revoked or unknown fails it (notary-spec digest §10.2 step 8).
  const revocation = await chainRevocation(context, tsaChain, 'timestamping');
  if (revocation.status !== 'ok') {
    throw notaryFailure(NotaryErrorCode.timestampInvalid, `timestamping certificate revocation status is ${revocation.status}`);
  }
  if (revocation.nextUpdate) context.changesAt.push(revocation.nextUpdate);
  context.changesAt.push(earliestNotAfter(tsaChain));
  context.timestamp = { genTime, accuracyMs, tsaChain };
}

function requireValidAt(chain: readonly Certificate[], at: Date, when: string): void {
  const validity = chainValidAt(chain, at);
  if (validity.ok) return;
  const { cert, reason } = validity;
  const bound = reason === 'expired' ? `expired at ${cert.notAfter.toISOString()}` : `valid from ${cert.notBefore.toISOString()}`;
  throw notaryFailure(NotaryErrorCode.certificateValidity, `certificate "${cert.subject}" was not valid ${when} (${bound})`);
}

function earliestNotAfter(chain: readonly Certificate[]): Date {
  return new Date(Math.min(...chain.map((cert) => cert.notAfter.getTime())));
}

/** Runs a pki step; its errors become this check's failure with `code` (the pki message is kept). */
async function pkiStep<T>(code: (typeof NotaryErrorCode)[keyof typeof NotaryErrorCode], message: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotaryError) throw error;
    throw notaryFailure(code, `${message}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}
