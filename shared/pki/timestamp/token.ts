import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData, type SignerInfo } from '@peculiar/asn1-cms';
import { TSTInfo } from '@peculiar/asn1-tsp';
import { parseCertificate, type Certificate } from '../certificate.js';
import { OID } from '../constants.js';
import { childrenOf, readElement } from '../der.js';
import { guardParse, PkiError } from '../errors.js';

/** A parsed TimeStampToken: the CMS pieces the verifier needs, with the bytes that are hashed kept verbatim. */
export interface ParsedToken {
  signedData: SignedData;
  /** The eContent octets (DER TSTInfo) exactly as received: the message-digest attribute covers these. */
  eContent: Buffer;
  tstInfo: TSTInfo;
  certificates: Certificate[];
  signerInfos: SignerInfo[];
  /** Per SignerInfo (same order): its signedAttrs element as received ([0] IMPLICIT tag included), if any. */
  signedAttrsRaw: Array<Buffer | undefined>;
}

/**
 * Parses an RFC 3161 TimeStampToken (RFC 3161 §2.4.2; RFC 5652 §5): ContentInfo → SignedData version 3 with
 * eContentType id-ct-TSTInfo → TSTInfo version 1. BER is accepted (the ASN.1 reader handles indefinite lengths).
 */
export function parseTimestampToken(token: Uint8Array): ParsedToken {
  const contentInfo = guardParse('ERR_TIMESTAMP_PARSE', 'timestamp token is not a CMS ContentInfo', () => AsnConvert.parse(token, ContentInfo));
  if (contentInfo.contentType !== OID.signedData) {
    throw new PkiError('ERR_TIMESTAMP_PARSE', `timestamp token content type is ${contentInfo.contentType}, not SignedData`);
  }
  const signedData = guardParse('ERR_TIMESTAMP_PARSE', 'timestamp token SignedData is malformed', () => AsnConvert.parse(contentInfo.content, SignedData));
  if (signedData.version !== 3) throw new PkiError('ERR_TIMESTAMP_VERSION', `SignedData version must be 3, got ${signedData.version}`);
  const { eContentType, eContent } = signedData.encapContentInfo;
  if (eContentType !== OID.tstInfo) {
    throw new PkiError('ERR_TIMESTAMP_CONTENT_TYPE', `unexpected content type ${eContentType}, expected id-ct-TSTInfo (${OID.tstInfo})`);
  }
  const content = guardParse('ERR_TIMESTAMP_PARSE', 'timestamp token eContent is malformed', () => eContentBytes(eContent));
  const tstInfo = guardParse('ERR_TIMESTAMP_PARSE', 'cannot decode TSTInfo', () => AsnConvert.parse(content, TSTInfo));
  if (tstInfo.version !== 1) throw new PkiError('ERR_TIMESTAMP_VERSION', `TSTInfo version must be 1, got ${tstInfo.version}`);
  const layout = guardParse('ERR_TIMESTAMP_PARSE', 'timestamp token is malformed', () => rawLayout(token));
  const certificates = guardParse('ERR_TIMESTAMP_PARSE', 'timestamp token certificates are malformed', () => embeddedCertificates(signedData, layout.certificates));
  const signerInfos = [...signedData.signerInfos];
  if (layout.signedAttrs.length !== signerInfos.length) throw new PkiError('ERR_TIMESTAMP_PARSE', 'timestamp token SignerInfos are malformed');
  return { signedData, eContent: content, tstInfo, certificates, signerInfos, signedAttrsRaw: layout.signedAttrs };
}

function eContentBytes(eContent: SignedData['encapContentInfo']['eContent']): Buffer {
  if (eContent?.single) return Buffer.from(eContent.single.buffer);
  if (eContent?.any) {
    // A BER constructed OCTET STRING: the content is the concatenation of its primitive segments.
    const raw = new Uint8Array(eContent.any);
    const outer = readElement(raw, 0, 'ERR_TIMESTAMP_PARSE');
    if (outer.tag === 0x04) return Buffer.from(raw.subarray(outer.contentStart, outer.end));
    if (outer.tag !== 0x24) throw new PkiError('ERR_TIMESTAMP_PARSE', 'eContent is not an OCTET STRING');
    return Buffer.concat(childrenOf(raw, outer, 'ERR_TIMESTAMP_PARSE').map((seg) => Buffer.from(raw.subarray(seg.contentStart, seg.end))));
  }
  throw new PkiError('ERR_TIMESTAMP_PARSE', 'timestamp token has no eContent');
}

/**
 * The embedded certificates as received. They are sliced out byte for byte (thumbprints and ESS hashes must
 * see the original bytes); re-encoding the parsed certificates is only the fallback for odd encodings.
 */
function embeddedCertificates(signedData: SignedData, raw: Buffer[]): Certificate[] {
  const choices = signedData.certificates ?? [];
  if (raw.length === choices.length) return raw.map((der) => parseCertificate(der));
  return choices.flatMap((choice) => (choice.certificate ? [parseCertificate(new Uint8Array(AsnConvert.serialize(choice.certificate)))] : []));
}

/** Raw slices of the token: embedded certificates, and each SignerInfo's signedAttrs (RFC 5652 §5.1, §5.3). */
function rawLayout(token: Uint8Array): { certificates: Buffer[]; signedAttrs: Array<Buffer | undefined> } {
  const code = 'ERR_TIMESTAMP_PARSE';
  const contentInfo = readElement(token, 0, code);
  const explicit = childrenOf(token, contentInfo, code)[1];
  const signedData = explicit && childrenOf(token, explicit, code)[0];
  if (!signedData) throw new PkiError(code, 'timestamp token has no SignedData');
  const fields = childrenOf(token, signedData, code);
  const certificateSet = fields.find((e) => e.tag === 0xa0);
  const signerInfoSet = fields[fields.length - 1];
  const certificates = certificateSet
    ? childrenOf(token, certificateSet, code).filter((e) => e.tag === 0x30).map((e) => Buffer.from(token.subarray(e.start, e.end)))
    : [];
  const signedAttrs = signerInfoSet && signerInfoSet.tag === 0x31
    ? childrenOf(token, signerInfoSet, code).map((signerInfo) => {
        const attrs = childrenOf(token, signerInfo, code).find((e) => e.tag === 0xa0);
        return attrs ? Buffer.from(token.subarray(attrs.start, attrs.end)) : undefined;
      })
    : [];
  return { certificates, signedAttrs };
}
