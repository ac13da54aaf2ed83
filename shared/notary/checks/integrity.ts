import { signatureAlgorithmForKey, validateCodeSigningChain } from '../../pki/index.js';
import type { Certificate } from '../../pki/index.js';
import { parseEnvelope, verifyEnvelopeSignature } from '../envelope/index.js';
import { NotaryError, NotaryErrorCode, notaryFailure } from '../errors.js';
import type { VerificationContext } from './context.js';

/**
 * Integrity (trust-store-trust-policy.md "Signature Verification details", step 1; always enforced):
 * 1. parse the envelope strictly by media type; 2. parse the chain and apply the certificate requirements
 * (signature-specification.md "Certificate Requirements", no clock); 3. the header alg must be the one the
 * leaf key implies; 4. the signature must verify over the signed bytes with the leaf key.
 */
export async function checkIntegrity(context: VerificationContext): Promise<void> {
  const envelope = parseEnvelope(context.input.envelope, context.input.envelopeMediaType);
  const chain = withPkiErrors(() => validateCodeSigningChain(envelope.certificateChain));
  const leaf = chain[0] as Certificate;
  const implied = withPkiErrors(() => signatureAlgorithmForKey(leaf));
  if (implied !== envelope.signed.algorithm) {
    throw notaryFailure(NotaryErrorCode.algorithm, `alg ${envelope.signed.algorithm} differs from ${implied}, the algorithm of the signing key`);
  }
  verifyEnvelopeSignature(envelope, leaf.publicKey);
  context.envelope = envelope;
  context.chain = chain;
}

function withPkiErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof NotaryError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw notaryFailure(NotaryErrorCode.chain, `certificate chain is not acceptable: ${message}`, error);
  }
}
