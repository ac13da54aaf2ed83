import { CBOR_TAG_COSE_SIGN1, CBOR_TAG_EPOCH_DATETIME } from '../constants.js';
import { NotaryErrorCode, notaryFailure } from '../errors.js';

/**
 * A well-formedness gate run before cbor-x decodes anything. cbor-x is lenient where the reference
 * (go-cose over fxamacker/cbor) is not: it accepts indefinite lengths, duplicate map keys, invalid UTF-8
 * and tag-1 datetimes over strings. This walks item heads only (RFC 8949 §3) and rejects:
 * indefinite lengths and breaks, reserved additional info, duplicate map keys (by encoded bytes),
 * invalid UTF-8 text, simple values other than false/true/null/undefined, tags other than 1
 * (over a number) and 18 (at the root only), nesting deeper than `maxDepth`, and trailing bytes.
 */
export function assertStrictCbor(bytes: Uint8Array, options: { rootTag?: number; maxDepth?: number } = {}): void {
  const walker = new Walker(bytes, options.maxDepth ?? 16);
  walker.item(0, options.rootTag);
  if (walker.offset !== bytes.length) fail('trailing bytes after the CBOR item');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function fail(message: string): never {
  throw notaryFailure(NotaryErrorCode.malformed, `CBOR: ${message}`);
}

class Walker {
  offset = 0;
  constructor(private readonly bytes: Uint8Array, private readonly maxDepth: number) {}

  item(depth: number, allowedTag?: number): void {
    if (depth > this.maxDepth) fail('nesting too deep');
    const start = this.offset;
    const { major, additional, value } = this.head();
    switch (major) {
      case 0:
      case 1:
        return;
      case 2:
      case 3: {
        const end = this.take(value);
        if (major === 3) {
          try {
            utf8.decode(this.bytes.subarray(end - value, end));
          } catch {
            fail('text string is not UTF-8');
          }
        }
        return;
      }
      case 4:
        this.ensureItems(value);
        for (let i = 0; i < value; i += 1) this.item(depth + 1);
        return;
      case 5: {
        this.ensureItems(value * 2);
        const keys = new Set<string>();
        for (let i = 0; i < value; i += 1) {
          const keyStart = this.offset;
          this.item(depth + 1);
          const key = Buffer.from(this.bytes.subarray(keyStart, this.offset)).toString('hex');
          if (keys.has(key)) fail('duplicate map key');
          keys.add(key);
          this.item(depth + 1);
        }
        return;
      }
      case 6:
        if (value === CBOR_TAG_EPOCH_DATETIME) {
          const next = this.bytes[this.offset];
          const isNumber = next !== undefined && (next >> 5 <= 1 || next === 0xf9 || next === 0xfa || next === 0xfb);
          if (!isNumber) fail('tag 1 must wrap a number');
          this.item(depth + 1);
          return;
        }
        if (value === CBOR_TAG_COSE_SIGN1 && allowedTag === CBOR_TAG_COSE_SIGN1 && start === 0) {
          this.item(depth + 1);
          return;
        }
        return fail(`tag ${value} is not allowed here`);
      default:
        // Major type 7: only false, true, null, undefined and floats.
        if ((additional >= 20 && additional <= 23) || (additional >= 25 && additional <= 27)) return;
        return fail('simple value not allowed');
    }
  }

  private head(): { major: number; additional: number; value: number } {
    const initial = this.bytes[this.offset];
    if (initial === undefined) fail('unexpected end of input');
    this.offset += 1;
    const major = initial >> 5;
    const additional = initial & 0x1f;
    if (additional < 24) return { major, additional, value: additional };
    if (additional === 31) fail('indefinite-length items are not allowed');
    if (additional > 27) fail('reserved additional information');
    const size = 1 << (additional - 24);
    const end = this.take(size);
    let value = 0;
    for (let i = end - size; i < end; i += 1) value = value * 256 + (this.bytes[i] as number);
    if (major !== 7 && !Number.isSafeInteger(value)) fail('length or integer too large');
    if (major === 7 && additional === 24) fail('simple value not allowed');
    return { major, additional, value };
  }

  /** Advances past `count` bytes and returns the new offset; fails when they are not there. */
  private take(count: number): number {
    if (count > this.bytes.length - this.offset) fail('unexpected end of input');
    this.offset += count;
    return this.offset;
  }

  /** Every item takes at least one byte: a count beyond the remaining bytes is a lie (and a loop bomb). */
  private ensureItems(count: number): void {
    if (count > this.bytes.length - this.offset) fail('unexpected end of input');
  }
}
