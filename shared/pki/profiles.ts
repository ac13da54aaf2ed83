import type { Certificate } from './certificate.js';
import { OID } from './constants.js';
import { PkiError } from './errors.js';
import type { KeyUsageBit } from './extensions.js';
import { assertCaKeyAcceptable, signatureAlgorithmForKey } from './keys.js';

export type ChainPurpose = 'codeSigning' | 'timestamping';

/** Key usage bits a Notary leaf must not have (signature-specification.md "Certificate Requirements"). */
const FORBIDDEN_LEAF_BITS: readonly KeyUsageBit[] = ['keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

/**
 * EKUs a code-signing leaf must not have. The spec also forbids anyExtendedKeyUsage, which the reference accepts;
 * the reference also forbids OCSPSigning, which the spec does not list: trustgate refuses both (§13 item 4).
 */
const FORBIDDEN_CODE_SIGNING_EKUS: readonly string[] = [OID.ekuServerAuth, OID.ekuClientAuth, OID.ekuEmailProtection, OID.ekuTimeStamping, OID.ekuOcspSigning, OID.ekuAny];

/**
 * CA rules (spec §7.3 / §7.4): basicConstraints present, critical, cA=true; keyUsage present with keyCertSign
 * (critical for code signing; RFC 3161 CAs only SHOULD mark it critical); pathLenConstraint, when present,
 * ≥ the number of CA certificates below (`caBelow`). trustgate requires the basicConstraints criticality the
 * spec states (Go cannot see it).
 */
export function validateCaProfile(cert: Certificate, caBelow: number, purpose: ChainPurpose): void {
  const bc = cert.basicConstraints;
  if (!bc || !bc.critical || !bc.ca) fail(cert, 'ca-basic-constraints', 'basicConstraints must be present, critical, and have cA=true');
  const ku = cert.keyUsage;
  if (!ku) fail(cert, 'ca-key-usage-missing', 'keyUsage must be present');
  if (purpose === 'codeSigning' && !ku.critical) fail(cert, 'ca-key-usage-not-critical', 'keyUsage must be marked critical');
  if (!ku.bits.has('keyCertSign')) fail(cert, 'ca-key-usage-cert-sign', 'keyUsage must have keyCertSign set');
  if (bc.pathLen !== undefined && bc.pathLen < caBelow) {
    fail(cert, 'path-length', `expected path length of ${caBelow} but the certificate allows ${bc.pathLen}`);
  }
  assertCaKeyAcceptable(cert);
}

/**
 * Leaf rules. Both purposes: basicConstraints absent or cA=false; keyUsage present and critical with
 * digitalSignature and none of the forbidden bits; the key of §7.2. Code signing: no forbidden EKU.
 * Timestamping: EKU present, critical, exactly id-kp-timeStamping (RFC 3161 §2.3).
 */
export function validateLeafProfile(cert: Certificate, purpose: ChainPurpose): void {
  if (cert.basicConstraints?.ca) fail(cert, 'leaf-is-ca', 'if basicConstraints is present, cA must be false');
  const ku = cert.keyUsage;
  if (!ku) fail(cert, 'leaf-key-usage-missing', 'keyUsage must be present');
  if (!ku.critical) fail(cert, 'leaf-key-usage-not-critical', 'keyUsage must be marked critical');
  if (!ku.bits.has('digitalSignature')) fail(cert, 'leaf-key-usage-digital-signature', 'keyUsage must have digitalSignature set');
  const forbidden = FORBIDDEN_LEAF_BITS.filter((bit) => ku.bits.has(bit));
  if (forbidden.length > 0) fail(cert, 'leaf-key-usage-forbidden', `keyUsage must be digitalSignature only, but found ${forbidden.join(', ')}`);
  if (purpose === 'codeSigning') {
    const bad = cert.eku?.oids.filter((oid) => FORBIDDEN_CODE_SIGNING_EKUS.includes(oid)) ?? [];
    if (bad.length > 0) fail(cert, 'leaf-eku-forbidden', `extended key usage must not contain ${bad.join(', ')}`);
  } else {
    const eku = cert.eku;
    if (!eku) fail(cert, 'tsa-eku-missing', 'a timestamping certificate must have an extended key usage extension');
    if (!eku.critical) fail(cert, 'tsa-eku-not-critical', 'the extended key usage extension must be marked critical');
    if (eku.oids.length !== 1 || eku.oids[0] !== OID.ekuTimeStamping) fail(cert, 'tsa-eku-values', 'extended key usage must be id-kp-timeStamping only');
  }
  signatureAlgorithmForKey(cert);
}

function fail(cert: Certificate, rule: string, message: string): never {
  throw new PkiError('ERR_CERT_PROFILE', `certificate "${cert.subject}": ${message}`, { details: { rule, thumbprint: cert.thumbprint } });
}
