import { NotaryErrorCode, notaryFailure } from '../errors.js';
import { verified } from './context.js';
import type { VerificationContext } from './context.js';

/**
 * Expiry (trust-store-trust-policy.md "Signature Verification details"): a signature whose
 * `io.cncf.notary.expiry` is at or before the verification time has expired.
 */
export async function checkExpiry(context: VerificationContext): Promise<void> {
  const { envelope } = verified(context);
  const expiry = envelope.signed.expiry;
  if (!expiry) return;
  if (context.input.at.getTime() >= expiry.getTime()) {
    throw notaryFailure(NotaryErrorCode.expired, `digital signature has expired on ${expiry.toISOString()}`);
  }
  context.changesAt.push(expiry);
}
