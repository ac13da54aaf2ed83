import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { BasicOCSPResponse, CertID, OCSPRequest, OCSPResponse, OCSPResponseStatus, Request, TBSRequest, type SingleResponse } from '@peculiar/asn1-ocsp';
import { AlgorithmIdentifier, InvalidityDate, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { parseCertificate, type Certificate } from '../certificate.js';
import { issuedBy } from '../chain.js';
import { HASH_BY_OID, OID } from '../constants.js';
import { rawCertificateParts } from '../der.js';
import { guardParse, PkiError } from '../errors.js';
import { verifySignedBytes } from '../signature-algorithms.js';
import { validAt } from '../validity.js';
import type { SourceAnswer } from './types.js';

/** Allowed clock skew for a thisUpdate slightly in the future (responder clocks drift). */
const THIS_UPDATE_SKEW_MS = 5 * 60_000;

/** The SHA-1 CertID the reference asks with (RFC 6960 §4.1.1): names and key hashed, as an identity, not for security. */
function certId(cert: Certificate, issuer: Certificate, hash: 'sha1' | 'sha256' | 'sha384' | 'sha512' = 'sha1'): CertID {
  const hashOid = hash === 'sha1' ? OID.sha1 : Object.entries(HASH_BY_OID).find(([, h]) => h === hash)?.[0] ?? OID.sha256;
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: hashOid, parameters: null }),
    issuerNameHash: new OctetString(createHash(hash).update(cert.issuerDer).digest()),
    issuerKeyHash: new OctetString(createHash(hash).update(issuerKeyBits(issuer)).digest()),
    serialNumber: serialBytes(cert.serialNumber),
  });
}

function issuerKeyBits(issuer: Certificate): Uint8Array {
  return new Uint8Array(AsnConvert.parse(rawCertificateParts(issuer.der).spki, SubjectPublicKeyInfo).subjectPublicKey);
}

function serialBytes(hex: string): ArrayBuffer {
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  return new Uint8Array((bytes[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes).buffer;
}

/** DER OCSPRequest for one certificate, and a stable key naming it (for caching). */
export function ocspRequest(cert: Certificate, issuer: Certificate): { der: Buffer; key: string } {
  const id = certId(cert, issuer);
  const der = Buffer.from(AsnConvert.serialize(new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: id })] }) })));
  return { der, key: Buffer.from(AsnConvert.serialize(id)).toString('hex') };
}

/**
 * Validates an OCSP response for `cert` (RFC 6960 §3.2, §4.2; spec §11.2): successful basic response; a
 * SingleResponse for this CertID; signed by the issuer or by a responder certificate the issuer issued with
 * EKU OCSPSigning, valid at `at`; accepted signature algorithm; thisUpdate not in the future, `at` ≤ nextUpdate.
 */
export function parseOcspResponse(der: Uint8Array, cert: Certificate, issuer: Certificate, at: Date): SourceAnswer {
  const outer = guardParse('ERR_OCSP_PARSE', 'malformed OCSP response', () => AsnConvert.parse(der, OCSPResponse));
  if (outer.responseStatus !== OCSPResponseStatus.successful) {
    throw new PkiError('ERR_OCSP_RESPONSE', `OCSP responder answered ${OCSPResponseStatus[outer.responseStatus] ?? outer.responseStatus}`);
  }
  if (!outer.responseBytes || outer.responseBytes.responseType !== OID.ocspBasic) throw new PkiError('ERR_OCSP_PARSE', 'OCSP response is not a basic response');
  const basic = guardParse('ERR_OCSP_PARSE', 'malformed basic OCSP response', () => AsnConvert.parse(outer.responseBytes?.response.buffer ?? new ArrayBuffer(0), BasicOCSPResponse));
  const single = guardParse('ERR_OCSP_PARSE', 'OCSP response does not answer for this certificate', () => matchingResponse(basic, cert, issuer));
  verifyResponder(basic, issuer, at);

  const thisUpdate = single.thisUpdate;
  if (thisUpdate.getTime() > at.getTime() + THIS_UPDATE_SKEW_MS) throw new PkiError('ERR_OCSP_RESPONSE', 'OCSP response thisUpdate is in the future');
  if (single.nextUpdate && at.getTime() > single.nextUpdate.getTime()) {
    throw new PkiError('ERR_OCSP_RESPONSE', `expired OCSP response: nextUpdate ${single.nextUpdate.toISOString()}`);
  }
  const nextUpdate = single.nextUpdate ? { nextUpdate: single.nextUpdate } : {};
  const status = single.certStatus;
  if (status.revoked) {
    const invalidity = single.singleExtensions?.find((e) => e.extnID === OID.invalidityDate);
    const invalidityDate = invalidity ? AsnConvert.parse(invalidity.extnValue.buffer, InvalidityDate).value : undefined;
    return {
      status: 'revoked',
      revokedAt: status.revoked.revocationTime,
      ...(status.revoked.revocationReason ? { reason: String(status.revoked.revocationReason.reason) } : {}),
      ...(invalidityDate ? { invalidityDate } : {}),
      ...nextUpdate,
    };
  }
  if (status.good !== undefined) return { status: 'good', ...nextUpdate };
  return { status: 'unknown', ...nextUpdate };
}

function matchingResponse(basic: BasicOCSPResponse, cert: Certificate, issuer: Certificate): SingleResponse {
  for (const single of basic.tbsResponseData.responses) {
    const hash = single.certID.hashAlgorithm.algorithm === OID.sha1 ? 'sha1' : HASH_BY_OID[single.certID.hashAlgorithm.algorithm];
    if (!hash) continue;
    const expected = certId(cert, issuer, hash);
    const same =
      Buffer.from(single.certID.serialNumber).equals(Buffer.from(expected.serialNumber)) &&
      Buffer.from(single.certID.issuerNameHash.buffer).equals(Buffer.from(expected.issuerNameHash.buffer)) &&
      Buffer.from(single.certID.issuerKeyHash.buffer).equals(Buffer.from(expected.issuerKeyHash.buffer));
    if (same) return single;
  }
  throw new PkiError('ERR_OCSP_RESPONSE', 'OCSP response does not answer for this certificate');
}

/** The issuer itself, or a delegated responder: issued by the issuer, EKU OCSPSigning, valid at `at` (RFC 6960 §4.2.2.2). */
function verifyResponder(basic: BasicOCSPResponse, issuer: Certificate, at: Date): void {
  const tbs = basic.tbsResponseDataRaw;
  if (!tbs) throw new PkiError('ERR_OCSP_PARSE', 'OCSP response has no tbsResponseData');
  const data = new Uint8Array(tbs);
  const signature = new Uint8Array(basic.signature);
  const algorithm = basic.signatureAlgorithm.algorithm;
  const params = basic.signatureAlgorithm.parameters ? new Uint8Array(basic.signatureAlgorithm.parameters) : undefined;
  if (verifySignedBytes(algorithm, params, data, signature, issuer.publicKey)) return;
  for (const embedded of basic.certs ?? []) {
    const responder = guardParse('ERR_OCSP_PARSE', 'malformed responder certificate', () => parseCertificate(new Uint8Array(AsnConvert.serialize(embedded))));
    const delegated = issuedBy(responder, issuer) && responder.eku?.oids.includes(OID.ekuOcspSigning) === true && validAt(responder, at);
    if (delegated && verifySignedBytes(algorithm, params, data, signature, responder.publicKey)) return;
  }
  throw new PkiError('ERR_OCSP_RESPONSE', 'OCSP response is not signed by the issuer or an authorized responder');
}
