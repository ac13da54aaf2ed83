/**
 * Just enough DER (X.690) to split concatenated certificates and to take the exact issuer and subject bytes
 * of a certificate (the reference compares raw bytes to decide "self-issued"). Parsing, not cryptography.
 */

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

const SEQUENCE = 0x30;

/** Reads one definite-length TLV at `offset`; throws on truncation, indefinite or oversized lengths. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new RangeError('truncated DER header');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new RangeError('multi-byte DER tags are not expected here');
  const first = bytes[offset + 1]!;
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0) throw new RangeError('indefinite DER length');
    if (count > 4) throw new RangeError('DER length too large');
    if (contentStart + count > limit) throw new RangeError('truncated DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i]!;
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new RangeError('truncated DER content');
  return { tag, start: offset, contentStart, end };
}

/** Splits back-to-back DER SEQUENCEs (a multi-certificate DER file). */
export function splitDerSequences(bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const tlv = readTlv(bytes, offset);
    if (tlv.tag !== SEQUENCE) throw new RangeError('expected a DER SEQUENCE');
    parts.push(bytes.subarray(tlv.start, tlv.end));
    offset = tlv.end;
  }
  return parts;
}

/** The encoded issuer and subject Names of a DER certificate, byte for byte. */
export function rawIssuerAndSubject(certificate: Uint8Array): { issuer: Uint8Array; subject: Uint8Array } {
  const outer = readTlv(certificate, 0);
  const tbs = readTlv(certificate, outer.contentStart, outer.end);
  const fields: Tlv[] = [];
  for (let offset = tbs.contentStart; offset < tbs.end && fields.length < 6; ) {
    const field = readTlv(certificate, offset, tbs.end);
    fields.push(field);
    offset = field.end;
  }
  // tbsCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject, ...
  const base = fields[0]?.tag === 0xa0 ? 1 : 0;
  const issuer = fields[base + 2];
  const subject = fields[base + 4];
  if (!issuer || !subject) throw new RangeError('certificate without issuer or subject');
  return { issuer: certificate.subarray(issuer.start, issuer.end), subject: certificate.subarray(subject.start, subject.end) };
}
