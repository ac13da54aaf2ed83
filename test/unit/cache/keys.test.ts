import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeKeyPart, encodeKeyPart, splitKey, toTableKeys } from '../../../shared/cache/index.js';
import { BASE_KEY } from './verdict-factory.js';

/** Characters Table Storage forbids in keys: / \ # ? and control characters. */
const FORBIDDEN = { test: (text: string) => [...text].some((ch) => '/\\#?'.includes(ch) || ch.charCodeAt(0) < 0x20 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f)) };

describe('Table key encoding', () => {
  it.each([
    ['library/nginx', 'library!2fnginx'],
    ['a/b/c', 'a!2fb!2fc'],
    ['sha256:abc', 'sha256:abc'],
    ['x!y', 'x!21y'],
    ['é', '!c3!a9'],
  ])('encodes %j as %j', (value, encoded) => {
    expect(encodeKeyPart(value)).toBe(encoded);
    expect(decodeKeyPart(encoded)).toBe(value);
  });

  it('round-trips any string and never emits a forbidden character or the separator', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const encoded = encodeKeyPart(value);
        expect(FORBIDDEN.test(encoded)).toBe(false);
        expect(encoded.includes('~')).toBe(false);
        expect(decodeKeyPart(encoded)).toBe(value);
      }),
    );
  });

  it.each(['!', '!zz', 'a/b', 'a~b'])('refuses to decode %j', (text) => {
    expect(decodeKeyPart(text)).toBeUndefined();
  });

  it('keys a verdict by registry + repository and digest + fingerprint, reversibly', () => {
    const keys = toTableKeys({ ...BASE_KEY, repository: 'a/b#c?d\\e' });
    expect(splitKey(keys.partitionKey)).toEqual([BASE_KEY.registry, 'a/b#c?d\\e']);
    expect(splitKey(keys.rowKey)).toEqual([BASE_KEY.digest, BASE_KEY.fingerprint]);
  });

  it('hashes keys that would pass the length limit, without collisions between near neighbours', () => {
    const long = 'r/'.repeat(300);
    const a = toTableKeys({ ...BASE_KEY, repository: long });
    const b = toTableKeys({ ...BASE_KEY, repository: long + 'x' });
    expect(a.partitionKey).toMatch(/^~~[0-9a-f]{64}$/);
    expect(a.partitionKey).not.toBe(b.partitionKey);
    expect(splitKey(a.partitionKey)).toBeUndefined();
  });

  it('does not confuse the registry/repository boundary', () => {
    const a = toTableKeys({ ...BASE_KEY, registry: 'r', repository: 'a~b' });
    const b = toTableKeys({ ...BASE_KEY, registry: 'r~a', repository: 'b' });
    expect(a.partitionKey).not.toBe(b.partitionKey);
  });
});
