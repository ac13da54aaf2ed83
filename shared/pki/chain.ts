import type { X509Certificate } from 'node:crypto';
import { parseCertificate, type Certificate } from './certificate.js';
import { MAX_CHAIN_CERTIFICATES, OID } from './constants.js';
import { PkiError } from './errors.js';
import { validateCaProfile, validateLeafProfile, type ChainPurpose } from './profiles.js';
import { acceptedSignatureHash } from './signature-algorithms.js';

export type CertificateInput = Certificate | X509Certificate | Uint8Array | string;

/** Extensions whose criticality we can honour: everything else marked critical is refused (RFC 5280 §4.2). */
const HANDLED_CRITICAL = new Set<string>([
  OID.basicConstraints, OID.keyUsage, OID.extKeyUsage, OID.subjectAltName, OID.certificatePolicies, OID.subjectKeyIdentifier, OID.authorityKeyIdentifier,
]);

/**
 * Code-signing chain requirements at integrity time (spec §7.1–7.3; signature-specification.md "Certificate
 * Requirements"): leaf first, each certificate issued by the next (issuer bytes = subject bytes, signature
 * verifies, parent is a CA), the last one self-signed, no earlier one self-signed, accepted signature
 * algorithms only, and the code-signing leaf and CA profiles. No clock: validity is checked elsewhere.
 * Returns the parsed chain; throws PkiError.
 */
export function validateCodeSigningChain(chain: readonly CertificateInput[]): Certificate[] {
  return validateChain(chain, 'codeSigning');
}

/** The same shape rules with the timestamping profiles (spec §7.4; RFC 3161 §2.3). */
export function validateTimestampingChain(chain: readonly CertificateInput[]): Certificate[] {
  return validateChain(chain, 'timestamping');
}

/**
 * Chains that passed, by purpose and the thumbprints of their certificates in order. The rules above use no clock
 * (validity is checked elsewhere, at an instant), so the same bytes always give the same answer: the integrity
 * check and the revocation check of one signature — and every later signature by the same chain — validate once
 * (3 RSA operations saved per check for a 3-certificate chain). Failures are not kept: they are rare and cheap to repeat.
 */
const validated = new Map<string, Certificate[]>();
const VALIDATED_CHAINS_KEPT = 1024;
let signatureChecks = 0;

/** Certificate signature verifications performed by chain validation so far (bench and tests count RSA work). */
export function chainSignatureChecks(): number {
  return signatureChecks;
}

function validateChain(input: readonly CertificateInput[], purpose: ChainPurpose): Certificate[] {
  if (input.length > MAX_CHAIN_CERTIFICATES) {
    throw new PkiError('ERR_CERT_CHAIN_TOO_LONG', `certificate chain has ${input.length} certificates, more than the ${MAX_CHAIN_CERTIFICATES} accepted`, {
      details: { count: input.length, max: MAX_CHAIN_CERTIFICATES },
    });
  }
  const chain = input.map((c) => parseCertificate(c));
  const key = `${purpose}:${chain.map((c) => c.thumbprint).join(',')}`;
  const known = validated.get(key);
  if (known) return [...known];
  validateUncached(chain, purpose);
  if (validated.size >= VALIDATED_CHAINS_KEPT) validated.delete(validated.keys().next().value as string);
  validated.set(key, chain);
  return [...chain];
}

function validateUncached(chain: Certificate[], purpose: ChainPurpose): void {
  if (chain.length === 0) throw new PkiError('ERR_CERT_CHAIN_EMPTY', 'certificate chain is empty');
  for (const cert of chain) {
    assertAcceptedSignatureAlgorithm(cert);
    assertNoUnhandledCriticalExtension(cert);
  }
  const last = chain.length - 1;
  if (last === 0) {
    const only = chain[0] as Certificate;
    if (!isSelfSigned(only)) throw chainError(`certificate "${only.subject}" is alone in the chain but is not self-signed`, 'single-not-self-signed');
    validateLeafProfile(only, purpose);
    return;
  }
  chain.forEach((cert, i) => {
    if (i === last) {
      // The last certificate is where the root should be; it is often an intermediate (the signer left the root out).
      if (!isSelfSigned(cert)) throw chainError(`the chain ends with "${cert.subject}", which is not self-signed: the chain must end with a self-signed root (is the root missing?)`, 'root-not-self-signed');
    } else {
      if (isSelfSigned(cert)) throw chainError(`${i === 0 ? 'leaf' : 'intermediate'} certificate "${cert.subject}" is self-signed`, 'self-signed-before-root');
      const parent = chain[i + 1] as Certificate;
      if (!issuedBy(cert, parent)) throw chainError(`certificate "${cert.subject}" is not issued by "${parent.subject}"`, 'not-issued-by-next');
    }
    if (i === 0) validateLeafProfile(cert, purpose);
    else validateCaProfile(cert, i - 1, purpose);
  });
}

/** Self-signed: issuer bytes = subject bytes and the signature verifies with its own key. */
export function isSelfSigned(cert: Certificate): boolean {
  return cert.selfIssued && verifiesWith(cert, cert);
}

/**
 * `child` is issued by `parent`: names link byte for byte, the parent is a CA allowed to sign certificates
 * (as Go's CheckSignatureFrom), and the signature verifies with the parent's key.
 */
export function issuedBy(child: Certificate, parent: Certificate): boolean {
  if (!child.issuerDer.equals(parent.subjectDer)) return false;
  if (!parent.isCA) return false;
  if (parent.keyUsage && !parent.keyUsage.bits.has('keyCertSign')) return false;
  return verifiesWith(child, parent);
}

function verifiesWith(cert: Certificate, signer: Certificate): boolean {
  signatureChecks++;
  try {
    return cert.x509.verify(signer.publicKey);
  } catch {
    return false;
  }
}

function assertAcceptedSignatureAlgorithm(cert: Certificate): void {
  if (!acceptedSignatureHash(cert.signatureAlgorithmOid, cert.signatureAlgorithmParams)) {
    throw new PkiError('ERR_CERT_SIGNATURE_ALGORITHM', `certificate "${cert.subject}" is signed with an unaccepted algorithm (${cert.signatureAlgorithmOid}); SHA-1 is never accepted`, {
      details: { thumbprint: cert.thumbprint, algorithm: cert.signatureAlgorithmOid },
    });
  }
}

function assertNoUnhandledCriticalExtension(cert: Certificate): void {
  const unhandled = cert.extensions.find((e) => e.critical && !HANDLED_CRITICAL.has(e.oid));
  if (unhandled) {
    throw new PkiError('ERR_CERT_PROFILE', `certificate "${cert.subject}" has an unhandled critical extension ${unhandled.oid}`, {
      details: { rule: 'unhandled-critical-extension', oid: unhandled.oid, thumbprint: cert.thumbprint },
    });
  }
}

function chainError(message: string, rule: string): PkiError {
  return new PkiError('ERR_CERT_CHAIN_INVALID', message, { details: { rule } });
}
