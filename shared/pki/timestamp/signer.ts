import { constants, createHash, verify } from 'node:crypto';
import { AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import type { SignerInfo } from '@peculiar/asn1-cms';
import { Time } from '@peculiar/asn1-x509';
import type { Certificate } from '../certificate.js';
import { HASH_BY_OID, OID, SIGNATURE_HASH_BY_OID, type HashAlgorithm } from '../constants.js';
import { childrenOf, readElement } from '../der.js';
import { guardParse, PkiError } from '../errors.js';
import { acceptedSignatureHash } from '../signature-algorithms.js';
import { validAt } from '../validity.js';
import { SigningCertificateV2, type IssuerSerial } from './ess.js';
import type { ParsedToken } from './token.js';

@AsnType({ type: AsnTypeTypes.Choice })
class OidValue {
  @AsnProp({ type: AsnPropTypes.ObjectIdentifier }) value = '';
}

/**
 * Verifies one SignerInfo of a timestamp token (RFC 5652 §5.4–5.6; RFC 5035; RFC 3161 §2.4.1) and returns the
 * TSA signing certificate: version 1; signed attributes present with content-type = id-ct-TSTInfo and
 * message-digest = hash(eContent); ESS signing-certificate-v2 present and naming a certificate of the token
 * whose hash matches (v1 is not accepted); the signature over the DER signed attributes verifies; an optional
 * CMS signing-time lies within the signing certificate's validity.
 */
export function verifySignerInfo(token: ParsedToken, signer: SignerInfo, signedAttrsRaw: Buffer | undefined): Certificate {
  if (signer.version !== 1) throw new PkiError('ERR_TIMESTAMP_VERSION', `SignerInfo version must be 1, got ${signer.version}`);
  const digestHash = HASH_BY_OID[signer.digestAlgorithm.algorithm];
  if (!digestHash) throw new PkiError('ERR_TIMESTAMP_HASH_UNSUPPORTED', `unsupported signer digest algorithm ${signer.digestAlgorithm.algorithm}`);
  if (!signer.signedAttrs || !signedAttrsRaw) throw attrError('the SignerInfo has no signed attributes');

  const contentTypes = attributeValues(signer, OID.attrContentType);
  if (contentTypes.length !== 1) throw attrError('exactly one content-type signed attribute is required');
  const contentType = guardParse('ERR_TIMESTAMP_SIGNED_ATTRIBUTES', 'content-type attribute', () => AsnConvert.parse(contentTypes[0] as ArrayBuffer, OidValue).value);
  if (contentType !== OID.tstInfo) throw attrError(`content-type attribute is ${contentType}, expected id-ct-TSTInfo`);

  const digests = attributeValues(signer, OID.attrMessageDigest);
  if (digests.length !== 1) throw attrError('exactly one message-digest signed attribute is required');
  const messageDigest = guardParse('ERR_TIMESTAMP_SIGNED_ATTRIBUTES', 'message-digest attribute', () => AsnConvert.parse(digests[0] as ArrayBuffer, OctetString));
  if (!Buffer.from(messageDigest.buffer).equals(createHash(digestHash).update(token.eContent).digest())) {
    throw attrError('message-digest attribute does not match the TSTInfo');
  }

  const cert = signingCertificate(token, signer);
  verifySignature(signer, signedAttrsRaw, cert, digestHash);

  const signingTimes = attributeValues(signer, OID.attrSigningTime);
  if (signingTimes.length > 1) throw attrError('more than one signing-time attribute');
  if (signingTimes.length === 1) {
    const signingTime = guardParse('ERR_TIMESTAMP_SIGNED_ATTRIBUTES', 'signing-time attribute', () => AsnConvert.parse(signingTimes[0] as ArrayBuffer, Time).getTime());
    if (!validAt(cert, signingTime)) throw attrError('the CMS signing-time is outside the signing certificate validity');
  }
  return cert;
}

function attributeValues(signer: SignerInfo, oid: string): ArrayBuffer[] {
  return (signer.signedAttrs ?? []).filter((a) => a.attrType === oid).flatMap((a) => a.attrValues);
}

/** Locates the signing certificate through ESS signing-certificate-v2 (RFC 5035 §5.4) and checks its hash. */
function signingCertificate(token: ParsedToken, signer: SignerInfo): Certificate {
  const values = attributeValues(signer, OID.attrSigningCertificateV2);
  if (values.length !== 1) throw essError('exactly one ESS signing-certificate-v2 attribute is required');
  const essCerts = guardParse('ERR_TIMESTAMP_SIGNING_CERTIFICATE', 'malformed signing-certificate-v2', () => AsnConvert.parse(values[0] as ArrayBuffer, SigningCertificateV2)).certs;
  const first = essCerts[0];
  if (!first) throw essError('signing-certificate-v2 does not contain any certificate');
  const hashOid = first.hashAlgorithm?.algorithm ?? OID.sha256;
  const hash = HASH_BY_OID[hashOid];
  if (!hash) throw essError(`unsupported certificate hash algorithm ${hashOid} in signing-certificate-v2`);

  const bySid = token.certificates.filter((c) => matchesSid(c, signer));
  const candidates = first.issuerSerial ? token.certificates.filter((c) => matchesIssuerSerial(c, first.issuerSerial as IssuerSerial)) : bySid;
  const cert = candidates.find((c) => bySid.includes(c));
  if (!cert) throw new PkiError('ERR_TIMESTAMP_SIGNER_NOT_FOUND', 'signing certificate not found in the timestamp token');
  if (!createHash(hash).update(cert.der).digest().equals(Buffer.from(first.certHash.buffer))) {
    throw essError('signing certificate hash does not match the certHash of signing-certificate-v2');
  }
  return cert;
}

function matchesSid(cert: Certificate, signer: SignerInfo): boolean {
  const { issuerAndSerialNumber, subjectKeyIdentifier } = signer.sid;
  if (issuerAndSerialNumber) {
    return cert.issuerDer.equals(Buffer.from(AsnConvert.serialize(issuerAndSerialNumber.issuer))) && cert.serialNumber === serialHex(issuerAndSerialNumber.serialNumber);
  }
  if (subjectKeyIdentifier) return cert.subjectKeyIdentifier === Buffer.from(subjectKeyIdentifier.buffer).toString('hex');
  return false;
}

function matchesIssuerSerial(cert: Certificate, issuerSerial: IssuerSerial): boolean {
  const directory = issuerSerial.issuer.find((n) => n.directoryName)?.directoryName;
  if (!directory) throw essError('issuer name is missing in IssuerSerial');
  return cert.issuerDer.equals(Buffer.from(AsnConvert.serialize(directory))) && cert.serialNumber === serialHex(issuerSerial.serialNumber);
}

function serialHex(serial: ArrayBuffer): string {
  return Buffer.from(serial).toString('hex').replace(/^0+(?=.)/, '');
}

/**
 * RSA (PKCS#1 v1.5 or PSS) or ECDSA over the DER SET of signed attributes (RFC 5652 §5.4: the [0] tag becomes
 * SET). The signature covers the DER encoding; when the attributes arrive unsorted (not DER), the sorted
 * SET OF is tried as well, as a re-encoding verifier (the reference) does.
 */
function verifySignature(signer: SignerInfo, raw: Buffer, cert: Certificate, digestHash: HashAlgorithm): void {
  const asReceived = Buffer.concat([Buffer.from([0x31]), raw.subarray(1)]);
  const algorithm = signer.signatureAlgorithm.algorithm;
  const params = signer.signatureAlgorithm.parameters ? new Uint8Array(signer.signatureAlgorithm.parameters) : undefined;
  const hash = algorithm === OID.rsaEncryption ? digestHash : (SIGNATURE_HASH_BY_OID[algorithm] ?? acceptedSignatureHash(algorithm, params));
  if (!hash) throw new PkiError('ERR_TIMESTAMP_SIGNATURE', `unsupported signature algorithm ${algorithm}`);
  const key = algorithm === OID.rsaPss ? { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO } : cert.publicKey;
  const signature = Buffer.from(signer.signature.buffer);
  const verifies = (input: Buffer) => {
    try {
      return verify(hash, input, key, signature);
    } catch {
      return false;
    }
  };
  if (verifies(asReceived)) return;
  const sorted = derSorted(asReceived);
  if (sorted && !sorted.equals(asReceived) && verifies(sorted)) return;
  throw new PkiError('ERR_TIMESTAMP_SIGNATURE', 'the timestamp signature does not verify with the signing certificate');
}

/** The same SET with its elements in DER order (X.690 §11.6), or undefined when it cannot be re-read. */
function derSorted(set: Buffer): Buffer | undefined {
  try {
    const outer = readElement(set, 0, 'ERR_TIMESTAMP_SIGNED_ATTRIBUTES');
    const elements = childrenOf(set, outer, 'ERR_TIMESTAMP_SIGNED_ATTRIBUTES').map((e) => set.subarray(e.start, e.end));
    return Buffer.concat([set.subarray(0, outer.contentStart), ...elements.sort(Buffer.compare)]);
  } catch {
    return undefined;
  }
}

function attrError(message: string): PkiError {
  return new PkiError('ERR_TIMESTAMP_SIGNED_ATTRIBUTES', message);
}

function essError(message: string): PkiError {
  return new PkiError('ERR_TIMESTAMP_SIGNING_CERTIFICATE', message);
}
