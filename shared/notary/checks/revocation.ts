import type { Certificate } from '../../pki/index.js';
import { SIGNING_SCHEME_SIGNING_AUTHORITY } from '../constants.js';
import { NotaryErrorCode, notaryFailure } from '../errors.js';
import type { ChainRevocationStatus, VerificationContext } from './context.js';
import { verified } from './context.js';

/**
 * Revocation of the signing chain (trust-store-trust-policy.md "Validate revocation status";
 * notary-spec digest §11): revoked fails; unknown (responder down, stale CRL) fails too — the level then
 * enforces or logs it. The authentic signing time is passed only under the signingAuthority scheme.
 */
export async function checkRevocation(context: VerificationContext): Promise<void> {
  const { envelope, chain } = verified(context);
  const result = await chainRevocation(context, chain, 'codeSigning', envelope.signed.signingScheme === SIGNING_SCHEME_SIGNING_AUTHORITY ? envelope.signed.signingTime : undefined);
  if (result.status === 'revoked') throw notaryFailure(NotaryErrorCode.revoked, 'the signing certificate chain is revoked');
  if (result.status === 'unknown') throw notaryFailure(NotaryErrorCode.revocationUnknown, `the revocation status of the signing certificate chain is unknown${unknownBecause(result)}`);
  if (result.nextUpdate) context.changesAt.push(result.nextUpdate);
}

/**
 * The revocation status of a chain via the injected port. Without a port, a chain whose certificates
 * (root excepted) carry no OCSP/CRL pointer is non-revokable (ok); anything else is unknown.
 * A port that throws yields unknown: it never turns into ok.
 */
export async function chainRevocation(
  context: VerificationContext,
  chain: readonly Certificate[],
  purpose: 'codeSigning' | 'timestamping',
  authenticSigningTime?: Date,
): Promise<ChainRevocationStatus> {
  const port = context.input.revocation;
  if (!port) {
    const revokable = chain.slice(0, -1).some((cert) => cert.ocspUrls.length > 0 || cert.crlUrls.length > 0);
    return { status: revokable ? 'unknown' : 'ok' };
  }
  try {
    const options = { purpose, at: context.input.at, ...(authenticSigningTime ? { authenticSigningTime } : {}), ...(context.input.signal ? { signal: context.input.signal } : {}) };
    const result = await port.checkChain(chain, options);
    return result.status === 'ok' || result.status === 'revoked' ? result : { status: 'unknown', ...(result.certs ? { certs: result.certs } : {}) };
  } catch {
    return { status: 'unknown' };
  }
}

/** `: certificate "CN=…": fetching http://… failed: timed out …` for the first certificate whose status is unknown. */
function unknownBecause(result: ChainRevocationStatus): string {
  const first = result.certs?.find((cert) => cert.status === 'unknown' && cert.error !== undefined);
  return first?.error ? `: certificate "${first.subject.slice(0, 200)}": ${first.error.message.slice(0, 300)}` : '';
}
