import type { KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse, CertID, CertStatus, OCSPRequest, OCSPResponse, OCSPResponseStatus, ResponderID, ResponseBytes, ResponseData, RevokedInfo, SingleResponse,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { Certificate, CRLReason, CRLReasons, InvalidityDate, Name, id_ce_invalidityDate } from '@peculiar/asn1-x509';
import type { TestCert } from './certs.js';
import { extension, keyIdentifier } from './extensions.js';
import { pairedHash, type HashName } from './keys.js';
import { corrupt, digest, digestAlgorithm, serialBytes, signBytes, signatureAlgorithm, toDer } from './sign.js';
import { addDays, PKI_NOW } from './time.js';

export type OcspCertStatus = 'good' | 'revoked' | 'unknown';

export interface OcspResponseOptions {
  /** Required. The CA that issued `cert`. */
  issuer: TestCert;
  /** Required. The certificate asked about (or just its hex serial). */
  cert: TestCert | { serial: string };
  /** Required. */
  status: OcspCertStatus;
  /** Optional. Default: PKI_NOW − 1 hour. */
  thisUpdate?: Date;
  /** Optional. null omits it. Default: PKI_NOW + 1 day. */
  nextUpdate?: Date | null;
  /** Optional. Default: thisUpdate. */
  producedAt?: Date;
  /** Optional. For 'revoked'. Default: PKI_NOW − 10 days. */
  revokedAt?: Date;
  /** Optional. For 'revoked'. */
  revocationReason?: keyof typeof CRLReasons;
  /** Optional. An invalidity-date single extension (RFC 5280 §5.3.2). */
  invalidityDate?: Date;
  /** Optional. A delegated responder (EKU OCSPSigning, issued by `issuer`); its cert is embedded. Default: the issuer signs. */
  responder?: TestCert;
  /** Optional. Sign with another key (bad signature). */
  signWith?: KeyObject;
  /** Optional. Corrupt the signature. */
  corruptSignature?: boolean;
  /** Optional. CertID hash. Default: 'sha1' (what the reference asks with). */
  certIdHash?: HashName;
  /** Optional. Non-successful outer status (no response bytes). */
  responseStatus?: keyof typeof OCSPResponseStatus;
  /** Optional. Identify the responder by name instead of key hash. Default: false. */
  responderByName?: boolean;
  /** Optional. Extra certificates to embed. */
  extraCerts?: TestCert[];
}

/** The CertID of `serial` under `issuer` (RFC 6960 §4.1.1). */
export function certIdFor(issuer: TestCert, serial: string, hash: HashName = 'sha1'): CertID {
  const issuerCert = AsnConvert.parse(issuer.der, Certificate);
  return new CertID({
    hashAlgorithm: digestAlgorithm(hash),
    issuerNameHash: new OctetString(digest(hash, toDer(issuerCert.tbsCertificate.subject))),
    issuerKeyHash: new OctetString(digest(hash, new Uint8Array(issuerCert.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey))),
    serialNumber: serialBytes(serial),
  });
}

/** A DER OCSPResponse (RFC 6960 §4.2.1) carrying one BasicOCSPResponse. */
export function issueOcspResponse(options: OcspResponseOptions): Buffer {
  if (options.responseStatus && options.responseStatus !== 'successful') {
    return toDer(new OCSPResponse({ responseStatus: OCSPResponseStatus[options.responseStatus] }));
  }
  const signer = options.responder ?? options.issuer;
  const signingKey = options.signWith ?? signer.privateKey;
  const hash = pairedHash(signer.keyType);
  const algorithm = signatureAlgorithm(signingKey, hash);
  const thisUpdate = options.thisUpdate ?? new Date(PKI_NOW.getTime() - 3_600_000);
  const nextUpdate = options.nextUpdate === undefined ? addDays(PKI_NOW, 1) : options.nextUpdate;
  const single = new SingleResponse({
    certID: certIdFor(options.issuer, options.cert.serial, options.certIdHash),
    certStatus: certStatus(options),
    thisUpdate,
    ...(nextUpdate ? { nextUpdate } : {}),
    ...(options.invalidityDate ? { singleExtensions: [extension(id_ce_invalidityDate, false, new InvalidityDate(options.invalidityDate))] } : {}),
  });
  const responderID = options.responderByName
    ? new ResponderID({ byName: AsnConvert.parse(AsnConvert.serialize(AsnConvert.parse(signer.der, Certificate).tbsCertificate.subject), Name) })
    : new ResponderID({ byKey: new OctetString(keyIdentifier(signer.publicKey)) });
  const tbs = new ResponseData({ responderID, producedAt: options.producedAt ?? thisUpdate, responses: [single] });
  const signature = signBytes(signingKey, hash, toDer(tbs));
  const embedded = [...(options.responder ? [options.responder] : []), ...(options.extraCerts ?? [])];
  const basic = new BasicOCSPResponse({
    tbsResponseData: tbs,
    signatureAlgorithm: algorithm,
    signature: new Uint8Array(options.corruptSignature ? corrupt(signature) : signature).buffer,
    ...(embedded.length > 0 ? { certs: embedded.map((c) => AsnConvert.parse(c.der, Certificate)) } : {}),
  });
  return toDer(
    new OCSPResponse({
      responseStatus: OCSPResponseStatus.successful,
      responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(toDer(basic)) }),
    }),
  );
}

function certStatus(options: OcspResponseOptions): CertStatus {
  switch (options.status) {
    case 'good':
      return new CertStatus({ good: null });
    case 'unknown':
      return new CertStatus({ unknown: null });
    case 'revoked':
      return new CertStatus({
        revoked: new RevokedInfo({
          revocationTime: options.revokedAt ?? addDays(PKI_NOW, -10),
          ...(options.revocationReason ? { revocationReason: new CRLReason(CRLReasons[options.revocationReason]) } : {}),
        }),
      });
  }
}

/** Serials (lowercase hex, no leading zeros) asked about in a DER OCSPRequest. */
export function requestedSerials(requestDer: Uint8Array): string[] {
  const request = AsnConvert.parse(requestDer, OCSPRequest);
  return request.tbsRequest.requestList.map((r) => Buffer.from(r.reqCert.serialNumber).toString('hex').replace(/^0+(?=.)/, ''));
}
