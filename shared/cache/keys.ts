import { createHash } from 'node:crypto';
import type { CacheKey } from './port.js';
import { HASHED_KEY_PREFIX, KEY_ESCAPE, KEY_SEPARATOR, MAX_KEY_CHARS } from './constants.js';

/** Bytes kept as they are: letters, digits and `. _ : -` (none is special to Table Storage or OData URLs). */
function isPlainByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    byte === 0x2e || byte === 0x5f || byte === 0x3a || byte === 0x2d // . _ : -
  );
}

/**
 * Reversible key encoding: every UTF-8 byte outside `[A-Za-z0-9._:-]` becomes `!` + two hex digits, so the
 * result never holds `/ \ # ?`, control characters or the separator `~` (`library/nginx` → `library!2fnginx`).
 */
export function encodeKeyPart(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out += isPlainByte(byte) ? String.fromCharCode(byte) : KEY_ESCAPE + byte.toString(16).padStart(2, '0');
  }
  return out;
}

/** Inverse of encodeKeyPart; undefined when the text is not an encoding it could have produced. */
export function decodeKeyPart(encoded: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const code = encoded.charCodeAt(i);
    if (encoded[i] === KEY_ESCAPE) {
      const hex = encoded.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (isPlainByte(code)) {
      bytes.push(code);
    } else {
      return undefined;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Joins two values into one Table key. When the encoding would pass MAX_KEY_CHARS the key becomes
 * `~~` + SHA-256 of both values: still collision-free, no longer decodable (the entity keeps the values
 * as plain properties, and readers compare them).
 */
export function joinKey(first: string, second: string): string {
  const joined = encodeKeyPart(first) + KEY_SEPARATOR + encodeKeyPart(second);
  if (joined.length <= MAX_KEY_CHARS) return joined;
  return HASHED_KEY_PREFIX + createHash('sha256').update(JSON.stringify([first, second])).digest('hex');
}

/** The two values of a key made by joinKey, or undefined for a hashed key. */
export function splitKey(key: string): [string, string] | undefined {
  if (key.startsWith(HASHED_KEY_PREFIX)) return undefined;
  const parts = key.split(KEY_SEPARATOR);
  if (parts.length !== 2) return undefined;
  const first = decodeKeyPart(parts[0] ?? '');
  const second = decodeKeyPart(parts[1] ?? '');
  return first === undefined || second === undefined ? undefined : [first, second];
}

export interface TableKeys {
  partitionKey: string;
  rowKey: string;
}

/** PartitionKey = registry + repository (one partition per repository), RowKey = digest + fingerprint. */
export function toTableKeys(key: CacheKey): TableKeys {
  return { partitionKey: joinKey(key.registry, key.repository), rowKey: joinKey(key.digest, key.fingerprint) };
}

/** True when both keys name the same verdict slot. */
export function sameKey(a: CacheKey, b: CacheKey): boolean {
  return a.registry === b.registry && a.repository === b.repository && a.digest === b.digest && a.fingerprint === b.fingerprint;
}
