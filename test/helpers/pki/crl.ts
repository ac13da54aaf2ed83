import { CRLReasons, CRLReason, CRLNumber, BaseCRLNumber, CertificateList, FreshestCRL, InvalidityDate, RevokedCertificate, TBSCertList, Time, Version,
  DistributionPoint, DistributionPointName, GeneralName, id_ce_cRLNumber, id_ce_cRLReasons, id_ce_deltaCRLIndicator, id_ce_freshestCRL, id_ce_invalidityDate,
  type Extension,
} from '@peculiar/asn1-x509';
import type { KeyObject } from 'node:crypto';
import type { TestCert } from './certs.js';
import { extension, type RawExtension } from './extensions.js';
import { pairedHash, type HashName } from './keys.js';
import { toAsnName } from './names.js';
import { corrupt, serialBytes, signBytes, signatureAlgorithm, toDer } from './sign.js';
import { addDays, PKI_NOW } from './time.js';

export type RevocationReason = keyof typeof CRLReasons;

/** One revoked entry of a CRL. */
export interface RevokedEntry {
  /** Required. Serial (hex) of the revoked certificate. */
  serial: string;
  /** Optional. Revocation date. Default: PKI_NOW − 10 days. */
  date?: Date;
  /** Optional. CRL entry reason code. Default: none. */
  reason?: RevocationReason;
  /** Optional. Invalidity date entry extension. */
  invalidityDate?: Date;
  /** Optional. Extra entry extensions (e.g. an unknown critical one). */
  extensions?: RawExtension[];
}

export interface CrlOptions {
  /** Required. The CA that issues (and signs) the CRL. */
  issuer: TestCert;
  /** Optional. Default: none revoked. */
  revoked?: RevokedEntry[];
  /** Optional. Default: PKI_NOW − 1 day. */
  thisUpdate?: Date;
  /** Optional. null omits nextUpdate. Default: PKI_NOW + 7 days. */
  nextUpdate?: Date | null;
  /** Optional. CRL number. Default: 1. */
  crlNumber?: number;
  /** Optional. Makes this a delta CRL against the given base CRL number. */
  deltaOf?: number;
  /** Optional. Freshest CRL (delta) URLs in the base CRL. */
  freshestCrlUrls?: string[];
  /** Optional. Extra CRL extensions (e.g. an unknown critical one). */
  extensions?: RawExtension[];
  /** Optional. Hash of the CRL signature. Default: the hash paired with the issuer's key. */
  signatureHash?: HashName;
  /** Optional. Sign with another key (signature no longer verifies). */
  signWith?: KeyObject;
  /** Optional. Corrupt the signature. */
  corruptSignature?: boolean;
}

/** A DER X.509 v2 CRL (RFC 5280 §5). */
export function issueCrl(options: CrlOptions): Buffer {
  const signingKey = options.signWith ?? options.issuer.privateKey;
  const hash = options.signatureHash ?? pairedHash(options.issuer.keyType);
  const algorithm = signatureAlgorithm(signingKey, hash);
  const nextUpdate = options.nextUpdate === undefined ? addDays(PKI_NOW, 7) : options.nextUpdate;
  const revoked = (options.revoked ?? []).map(revokedEntry);
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: algorithm,
    issuer: toAsnName(options.issuer.name),
    thisUpdate: new Time(options.thisUpdate ?? addDays(PKI_NOW, -1)),
    ...(nextUpdate ? { nextUpdate: new Time(nextUpdate) } : {}),
    ...(revoked.length > 0 ? { revokedCertificates: revoked } : {}),
    crlExtensions: crlExtensions(options),
  });
  const tbsDer = toDer(tbs);
  const signature = signBytes(signingKey, hash, tbsDer);
  const list = new CertificateList({
    tbsCertList: tbs,
    signatureAlgorithm: algorithm,
    signature: new Uint8Array(options.corruptSignature ? corrupt(signature) : signature).buffer,
  });
  return toDer(list);
}

function crlExtensions(options: CrlOptions): Extension[] {
  const out = [extension(id_ce_cRLNumber, false, new CRLNumber(options.crlNumber ?? 1))];
  if (options.deltaOf !== undefined) out.push(extension(id_ce_deltaCRLIndicator, true, new BaseCRLNumber(options.deltaOf)));
  if (options.freshestCrlUrls?.length) {
    const points = options.freshestCrlUrls.map(
      (url) => new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [new GeneralName({ uniformResourceIdentifier: url })] }) }),
    );
    out.push(extension(id_ce_freshestCRL, false, new FreshestCRL(points)));
  }
  for (const raw of options.extensions ?? []) out.push(extension(raw.oid, raw.critical ?? false, raw.value));
  return out;
}

function revokedEntry(entry: RevokedEntry): RevokedCertificate {
  const extensions: Extension[] = [];
  if (entry.reason) extensions.push(extension(id_ce_cRLReasons, false, new CRLReason(CRLReasons[entry.reason])));
  if (entry.invalidityDate) extensions.push(extension(id_ce_invalidityDate, false, new InvalidityDate(entry.invalidityDate)));
  for (const raw of entry.extensions ?? []) extensions.push(extension(raw.oid, raw.critical ?? false, raw.value));
  return new RevokedCertificate({
    userCertificate: serialBytes(entry.serial),
    revocationDate: new Time(entry.date ?? addDays(PKI_NOW, -10)),
    ...(extensions.length > 0 ? { crlEntryExtensions: extensions } : {}),
  });
}
