import { evaluateTrustedIdentities } from '../../policy/index.js';
import type { TrustStoreType } from '../../truststore/index.js';
import { SIGNING_SCHEME_SIGNING_AUTHORITY } from '../constants.js';
import { NotaryErrorCode, notaryFailure } from '../errors.js';
import { verified } from './context.js';
import type { VerificationContext } from './context.js';
import { loadAnchors } from './trust-anchors.js';

/**
 * Authenticity (trust-store-trust-policy.md step 3-4; notary-spec digest §2.3, §8, §9):
 * 1. the trust store type is bound to the signing scheme (ca ↔ notary.x509, signingAuthority ↔ SA), so a
 *    CA-issued leaf can never pose as a signing authority; 2. some chain certificate must be byte-identical
 *    to an anchor of those stores; 3. the leaf subject must satisfy the trusted identities.
 */
export async function checkAuthenticity(context: VerificationContext): Promise<void> {
  const { envelope, chain } = verified(context);
  const { statement, trustStore } = context.input;
  const type: TrustStoreType = envelope.signed.signingScheme === SIGNING_SCHEME_SIGNING_AUTHORITY ? 'signingAuthority' : 'ca';
  const anchors = await loadAnchors(statement, trustStore, type, NotaryErrorCode.noTrustStore);
  if (anchors.length === 0) {
    throw notaryFailure(NotaryErrorCode.noTrustStore, `no trusted certificates are found to verify authenticity (no ${type} trust store)`);
  }
  const trusted = chain.some((cert) => anchors.some((anchor) => anchor.raw.equals(cert.der)));
  // Failures name the signer (the leaf's subject): the operator needs to know whose signature did not pass.
  const signer = chain[0]?.subject ?? 'unknown signer';
  if (!trusted) throw notaryFailure(NotaryErrorCode.untrusted, `the signature's certificate chain does not contain any trusted certificate (signer "${signer}")`);

  const identity = evaluateTrustedIdentities(statement.trustedIdentities, chain[0]?.subjectAttributes ?? []);
  if (!identity.ok) throw notaryFailure(NotaryErrorCode.identity, `signer "${signer}": ${identity.message}`);
}
