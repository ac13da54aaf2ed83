import { PkiError, type PkiErrorCode } from './errors.js';

/** One BER/DER element: tag byte and the byte ranges of the whole element and of its contents. */
export interface DerElement {
  tag: number;
  start: number;
  contentStart: number;
  /** End of the contents (before the end-of-contents octets of an indefinite-length element). */
  contentEnd: number;
  end: number;
}

const MAX_DEPTH = 64;

/**
 * Reads the element at `offset` (X.690 §8.1): definite lengths, and indefinite lengths on constructed elements
 * (BER tokens). Used only to slice raw bytes that must be compared or hashed exactly as received (names,
 * signed attributes, embedded certificates); typed parsing uses @peculiar/asn1-*.
 */
export function readElement(buf: Uint8Array, offset: number, code: PkiErrorCode = 'ERR_CERT_PARSE', depth = 0): DerElement {
  const fail = (why: string) => new PkiError(code, `malformed DER at byte ${offset}: ${why}`);
  if (depth > MAX_DEPTH) throw fail('nested too deeply');
  if (offset + 2 > buf.length) throw fail('truncated header');
  const tag = buf[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) throw fail('multi-byte tags are not used here');
  let length = buf[offset + 1] ?? 0;
  let contentStart = offset + 2;
  if (length === 0x80) {
    if (!(tag & 0x20)) throw fail('indefinite length on a primitive element');
    for (let at = contentStart; ; ) {
      if (at + 2 > buf.length) throw fail('missing end-of-contents');
      if (buf[at] === 0 && buf[at + 1] === 0) return { tag, start: offset, contentStart, contentEnd: at, end: at + 2 };
      at = readElement(buf, at, code, depth + 1).end;
    }
  }
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count > 4) throw fail('unsupported length form');
    if (contentStart + count > buf.length) throw fail('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buf[contentStart + i] ?? 0);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > buf.length) throw fail('element runs past the end');
  return { tag, start: offset, contentStart, contentEnd: end, end };
}

/** The direct children of a constructed element. */
export function childrenOf(buf: Uint8Array, parent: DerElement, code: PkiErrorCode = 'ERR_CERT_PARSE'): DerElement[] {
  const out: DerElement[] = [];
  for (let at = parent.contentStart; at < parent.contentEnd; ) {
    const child = readElement(buf, at, code);
    out.push(child);
    at = child.end;
  }
  return out;
}

export function slice(buf: Uint8Array, element: DerElement): Buffer {
  return Buffer.from(buf.subarray(element.start, element.end));
}

/** Raw issuer, subject and SubjectPublicKeyInfo of a DER certificate (RFC 5280 §4.1). */
export function rawCertificateParts(der: Uint8Array): { issuer: Buffer; subject: Buffer; spki: Buffer } {
  const certificate = readElement(der, 0);
  const [tbs] = childrenOf(der, certificate);
  if (!tbs) throw new PkiError('ERR_CERT_PARSE', 'certificate has no tbsCertificate');
  const fields = childrenOf(der, tbs);
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version is optional
  const issuer = fields[offset + 2];
  const subject = fields[offset + 4];
  const spki = fields[offset + 5];
  if (!issuer || !subject || !spki) throw new PkiError('ERR_CERT_PARSE', 'tbsCertificate is missing fields');
  return { issuer: slice(der, issuer), subject: slice(der, subject), spki: slice(der, spki) };
}
