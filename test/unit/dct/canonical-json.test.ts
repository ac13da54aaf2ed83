import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/dct/index.js';
import { DCT_CODES } from '../../../shared/dct/index.js';
import { parseBoundedJson } from '../../../shared/dct/bounded-json.js';
import { expectAppError } from '../../helpers/expect-error.js';

describe('Notary canonical JSON (docker/go canonical/json MarshalCanonical)', () => {
  it('sorts keys, drops whitespace and writes integers', () => {
    expect(canonicalJson({ b: [1, { z: null, a: true }], a: 'x', c: -0, d: 12345678901 })).toBe('{"a":"x","b":[1,{"a":true,"z":null}],"c":0,"d":12345678901}');
  });

  it('escapes only the quote and the backslash; control characters, <>& and non-ASCII stay raw', () => {
    expect(canonicalJson('a"b\\c\n\t\u0001<>&é\u2028😀')).toBe('"a\\"b\\\\c\n\t\u0001<>&é\u2028😀"');
  });

  it('orders keys by UTF-8 bytes like Go, not by UTF-16 units', () => {
    // U+FF61 is EF BD A1 in UTF-8; U+1F600 is F0 9F 98 80: Go puts U+FF61 first, a UTF-16 sort would not.
    expect(canonicalJson({ '\u{1F600}': 1, '\uFF61': 2 })).toBe('{"\uFF61":2,"\u{1F600}":1}');
  });

  it('refuses floats, non-finite numbers, unsafe integers and lone surrogates', async () => {
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, '\uD800x', { ['\uDC00']: 1 }]) {
      await expectAppError(() => canonicalJson(bad), DCT_CODES.malformed);
    }
  });

  it('reproduces the bytes notary signed: re-canonicalising served metadata reverifies (see keys.test.ts)', () => {
    const served = readFileSync(new URL('../../fixtures/dct/root.json', import.meta.url), 'utf8');
    const signed = (JSON.parse(served) as { signed: unknown }).signed;
    // notary-server serves the signed part already canonical: our form must be byte-identical.
    expect(served.startsWith(`{"signed":${canonicalJson(signed)},"signatures"`)).toBe(true);
  });
});

describe('bounded JSON parsing', () => {
  it('measures nesting outside strings and refuses deep documents before parsing', async () => {
    expect(parseBoundedJson(Buffer.from(`{"a":[{"b":"${'['.repeat(40)}"}]}`), 'x')).toEqual({ a: [{ b: '['.repeat(40) }] });
    const bomb = Buffer.from(`${'['.repeat(100)}${']'.repeat(100)}`);
    await expectAppError(() => parseBoundedJson(bomb, 'x'), DCT_CODES.malformed);
    expect(parseBoundedJson(Buffer.from('{"a":[1]}'), 'x')).toEqual({ a: [1] });
  });

  it('refuses invalid UTF-8 instead of replacing it', async () => {
    await expectAppError(() => parseBoundedJson(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'x'), DCT_CODES.malformed);
  });
});
