import { X509Certificate } from 'node:crypto';
import { OID_EKU_CLIENT_AUTH } from './constants.js';
import { AdmissionError } from './errors.js';

/** Why a forwarded client certificate was refused (logged, never sent to the caller). */
export type ClientCertProblem = 'missing' | 'malformed' | 'untrusted' | 'expired' | 'not-a-client-cert';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g;

/** Parses the configured CA bundle (PEM). Throws AdmissionError ERR_CONFIG when it holds no CA certificate. */
export function parseClientCaBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  let anchors: X509Certificate[];
  try {
    anchors = blocks.map((block) => new X509Certificate(block));
  } catch (error) {
    throw new AdmissionError('ERR_CONFIG', 'config', 'the admission client CA bundle holds a malformed certificate', { cause: error });
  }
  if (anchors.length === 0 || anchors.some((anchor) => !anchor.ca)) {
    throw new AdmissionError('ERR_CONFIG', 'config', 'the admission client CA bundle must hold one or more CA certificates (PEM)');
  }
  return anchors;
}

/**
 * Checks the certificate App Service forwards in X-ARR-ClientCert (base64 DER; the front end already checked that the
 * client holds its key): it must be issued and signed by one of the anchors, every certificate valid at `at`, not a CA,
 * and — when it lists extended key usages — usable for client authentication (RFC 5280 §4.2.1.12).
 */
export function checkClientCertificate(headerValue: string | null, anchors: readonly X509Certificate[], at: Date): ClientCertProblem | undefined {
  if (headerValue === null || headerValue.trim() === '') return 'missing';
  let leaf: X509Certificate;
  try {
    const der = Buffer.from(headerValue.trim(), 'base64');
    if (der.length === 0 || der.length > 64 * 1024) return 'malformed';
    leaf = new X509Certificate(der);
  } catch {
    return 'malformed';
  }
  const issuer = anchors.find((anchor) => leaf.checkIssued(anchor) && leaf.verify(anchor.publicKey));
  if (!issuer) return 'untrusted';
  if (!validAt(leaf, at) || !validAt(issuer, at)) return 'expired';
  if (leaf.ca) return 'not-a-client-cert';
  // Node's X509Certificate.keyUsage returns the extended key usage OIDs (undefined when the extension is absent).
  const extendedKeyUsage = leaf.keyUsage as string[] | undefined;
  if (extendedKeyUsage && extendedKeyUsage.length > 0 && !extendedKeyUsage.includes(OID_EKU_CLIENT_AUTH)) return 'not-a-client-cert';
  return undefined;
}

function validAt(certificate: X509Certificate, at: Date): boolean {
  const time = at.getTime();
  return Date.parse(certificate.validFrom) <= time && time <= Date.parse(certificate.validTo);
}
