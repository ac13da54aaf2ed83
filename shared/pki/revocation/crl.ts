import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList, CRLReason, CRLReasons, FreshestCRL, InvalidityDate, IssuingDistributionPoint, type Extension } from '@peculiar/asn1-x509';
import type { Certificate } from '../certificate.js';
import { OID } from '../constants.js';
import { childrenOf, readElement } from '../der.js';
import { distributionPointUrls } from '../extensions.js';
import { guardParse, PkiError } from '../errors.js';
import { verifySignedBytes } from '../signature-algorithms.js';
import type { SourceAnswer } from './types.js';

export interface CrlEntry {
  revokedAt: Date;
  reason?: keyof typeof CRLReasons;
  invalidityDate?: Date;
}

/** A parsed, not yet validated CRL (RFC 5280 §5). */
export interface ParsedCrl {
  issuerDer: Buffer;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber?: bigint;
  /** Present on delta CRLs: the base CRL number this delta extends (RFC 5280 §5.2.4). */
  deltaBase?: bigint;
  freshestCrlUrls: string[];
  issuingDistributionPoint?: IssuingDistributionPoint;
  entries: Map<string, CrlEntry[]>;
  tbs: Uint8Array;
  signature: Uint8Array;
  signatureAlgorithm: string;
  signatureParams?: Uint8Array;
}

const HANDLED_CRL_EXTENSIONS = new Set<string>([OID.crlNumber, OID.deltaCrlIndicator, OID.issuingDistributionPoint, OID.authorityKeyIdentifierCrl, OID.freshestCrl]);
const HANDLED_ENTRY_EXTENSIONS = new Set<string>([OID.crlReason, OID.invalidityDate]);

/** Parses a DER CRL; unknown critical CRL or entry extensions are errors (RFC 5280 §5.2, §5.3). */
export function parseCrl(der: Uint8Array): ParsedCrl {
  const list = guardParse('ERR_CRL_PARSE', 'malformed CRL', () => AsnConvert.parse(der, CertificateList));
  const tbs = list.tbsCertList;
  if (!list.tbsCertListRaw) throw new PkiError('ERR_CRL_PARSE', 'CRL has no tbsCertList');
  const crl: ParsedCrl = {
    issuerDer: guardParse('ERR_CRL_PARSE', 'malformed CRL issuer', () => rawIssuer(der)),
    thisUpdate: tbs.thisUpdate.getTime(),
    ...(tbs.nextUpdate ? { nextUpdate: tbs.nextUpdate.getTime() } : {}),
    freshestCrlUrls: [],
    entries: new Map(),
    tbs: new Uint8Array(list.tbsCertListRaw),
    signature: new Uint8Array(list.signature),
    signatureAlgorithm: list.signatureAlgorithm.algorithm,
    ...(list.signatureAlgorithm.parameters ? { signatureParams: new Uint8Array(list.signatureAlgorithm.parameters) } : {}),
  };
  guardParse('ERR_CRL_PARSE', 'malformed CRL extension', () => readCrlExtensions(crl, tbs.crlExtensions ?? []));
  for (const revoked of tbs.revokedCertificates ?? []) {
    const serial = Buffer.from(revoked.userCertificate).toString('hex').replace(/^0+(?=.)/, '');
    const entry = guardParse('ERR_CRL_PARSE', 'malformed CRL entry', () => readEntry(revoked.revocationDate.getTime(), revoked.crlEntryExtensions ?? []));
    crl.entries.set(serial, [...(crl.entries.get(serial) ?? []), entry]);
  }
  return crl;
}

function readCrlExtensions(crl: ParsedCrl, extensions: readonly Extension[]): void {
  for (const extension of extensions) {
    const value = extension.extnValue.buffer;
    if (!HANDLED_CRL_EXTENSIONS.has(extension.extnID) && extension.critical) {
      throw new PkiError('ERR_CRL_INVALID', `CRL has an unknown critical extension ${extension.extnID}`);
    }
    switch (extension.extnID) {
      case OID.crlNumber:
        crl.crlNumber = integerValue(new Uint8Array(value));
        break;
      case OID.deltaCrlIndicator:
        crl.deltaBase = integerValue(new Uint8Array(value));
        break;
      case OID.issuingDistributionPoint:
        crl.issuingDistributionPoint = AsnConvert.parse(value, IssuingDistributionPoint);
        break;
      case OID.freshestCrl:
        crl.freshestCrlUrls.push(...distributionPointUrls(AsnConvert.parse(value, FreshestCRL)));
        break;
    }
  }
}

function readEntry(revokedAt: Date, extensions: readonly Extension[]): CrlEntry {
  const entry: CrlEntry = { revokedAt };
  for (const extension of extensions) {
    if (extension.critical && !HANDLED_ENTRY_EXTENSIONS.has(extension.extnID)) {
      throw new PkiError('ERR_CRL_INVALID', `CRL entry has an unknown critical extension ${extension.extnID}`);
    }
    if (extension.extnID === OID.crlReason) entry.reason = CRLReasons[AsnConvert.parse(extension.extnValue.buffer, CRLReason).reason] as keyof typeof CRLReasons;
    if (extension.extnID === OID.invalidityDate) entry.invalidityDate = AsnConvert.parse(extension.extnValue.buffer, InvalidityDate).value;
  }
  return entry;
}

/** A DER INTEGER as a bigint (CRL numbers may be up to 20 octets, RFC 5280 §5.2.3). */
function integerValue(der: Uint8Array): bigint {
  const element = readElement(der, 0, 'ERR_CRL_PARSE');
  if (element.tag !== 0x02 || element.contentEnd === element.contentStart) throw new PkiError('ERR_CRL_PARSE', 'expected an INTEGER');
  return BigInt(`0x${Buffer.from(der.subarray(element.contentStart, element.contentEnd)).toString('hex')}`);
}

function rawIssuer(der: Uint8Array): Buffer {
  const list = readElement(der, 0, 'ERR_CRL_PARSE');
  const tbs = childrenOf(der, list, 'ERR_CRL_PARSE')[0];
  if (!tbs) throw new PkiError('ERR_CRL_PARSE', 'CRL has no tbsCertList');
  const fields = childrenOf(der, tbs, 'ERR_CRL_PARSE');
  const offset = fields[0]?.tag === 0x02 ? 1 : 0; // version is optional
  const issuer = fields[offset + 1];
  if (!issuer) throw new PkiError('ERR_CRL_PARSE', 'CRL has no issuer');
  return Buffer.from(der.subarray(issuer.start, issuer.end));
}

// A cached CRL is checked against each issuer once (hashing a large CRL is the expensive part).
const verifiedBy = new WeakMap<ParsedCrl, Set<string>>();

/**
 * A CRL usable for `cert` at `at` (spec §11.3; RFC 5280 §6.3.3): issued and signed by the certificate's issuer;
 * nextUpdate present and not passed; thisUpdate not in the future; a base CRL is not a delta and a delta is one;
 * an issuing distribution point must not narrow the scope away from this certificate.
 */
export function validateCrl(crl: ParsedCrl, cert: Certificate, issuer: Certificate, at: Date, kind: 'base' | 'delta'): void {
  if (!crl.issuerDer.equals(cert.issuerDer)) throw new PkiError('ERR_CRL_INVALID', 'CRL issuer does not match the certificate issuer');
  const verified = verifiedBy.get(crl) ?? new Set<string>();
  if (!verified.has(issuer.thumbprint)) {
    if (!verifySignedBytes(crl.signatureAlgorithm, crl.signatureParams, crl.tbs, crl.signature, issuer.publicKey)) {
      throw new PkiError('ERR_CRL_INVALID', 'CRL signature does not verify with the issuer key (or uses an unaccepted algorithm)');
    }
    verifiedBy.set(crl, verified.add(issuer.thumbprint));
  }
  if (!crl.nextUpdate) throw new PkiError('ERR_CRL_INVALID', 'CRL has no nextUpdate');
  if (at.getTime() > crl.nextUpdate.getTime()) throw new PkiError('ERR_CRL_INVALID', `expired CRL: nextUpdate ${crl.nextUpdate.toISOString()}`);
  if (crl.thisUpdate.getTime() > at.getTime()) throw new PkiError('ERR_CRL_INVALID', 'CRL thisUpdate is in the future');
  if (kind === 'base' && crl.deltaBase !== undefined) throw new PkiError('ERR_CRL_INVALID', 'a delta CRL was served as a base CRL');
  if (kind === 'delta' && crl.deltaBase === undefined) throw new PkiError('ERR_CRL_INVALID', 'a delta CRL URL served a CRL without a delta CRL indicator');
  const idp = crl.issuingDistributionPoint;
  if (idp) {
    const narrowed = idp.indirectCRL || idp.onlyContainsAttributeCerts || idp.onlySomeReasons !== undefined || (idp.onlyContainsUserCerts && cert.isCA) || (idp.onlyContainsCACerts && !cert.isCA);
    if (narrowed) throw new PkiError('ERR_CRL_INVALID', 'the CRL issuing distribution point does not cover this certificate');
  }
}

/** Delta and base must belong together (RFC 5280 §5.2.4): delta number > base number, delta base ≤ base number. */
export function validateDeltaPair(base: ParsedCrl, delta: ParsedCrl): void {
  if (base.crlNumber === undefined || delta.crlNumber === undefined || delta.deltaBase === undefined) {
    throw new PkiError('ERR_CRL_INVALID', 'base and delta CRLs need CRL numbers');
  }
  if (delta.crlNumber <= base.crlNumber) throw new PkiError('ERR_CRL_INVALID', 'delta CRL number must be greater than the base CRL number');
  if (delta.deltaBase > base.crlNumber) throw new PkiError('ERR_CRL_INVALID', 'delta CRL indicator is newer than the base CRL');
}

/**
 * The status of `serial` in a base CRL and optional delta (spec §11.3): an entry with an invalidity date after
 * the authentic signing time does not count (signingAuthority only); any reason other than certificateHold or
 * removeFromCRL revokes; otherwise the latest hold/remove entry decides (hold = revoked, remove = not).
 */
export function crlStatus(serial: string, lists: readonly ParsedCrl[], authenticSigningTime?: Date): SourceAnswer {
  const nextUpdate = lists.map((l) => l.nextUpdate).filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
  const base = nextUpdate ? { nextUpdate } : {};
  const entries = lists
    .flatMap((list) => list.entries.get(serial) ?? [])
    .filter((e) => !(authenticSigningTime && e.invalidityDate && e.invalidityDate.getTime() > authenticSigningTime.getTime()));
  const decisive = entries.find((e) => e.reason !== 'certificateHold' && e.reason !== 'removeFromCRL');
  if (decisive) return { status: 'revoked', revokedAt: decisive.revokedAt, ...(decisive.reason ? { reason: decisive.reason } : {}), ...base };
  const latest = entries.at(-1);
  if (latest?.reason === 'certificateHold') return { status: 'revoked', revokedAt: latest.revokedAt, reason: 'certificateHold', ...base };
  return { status: 'good', ...base };
}
