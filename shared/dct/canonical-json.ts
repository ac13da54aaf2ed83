import { DCT_CODES, failed } from './errors.js';

/**
 * Notary's canonical JSON (github.com/docker/go canonical/json, MarshalCanonical of the decoded `signed` map):
 * object keys sorted bytewise by UTF-8, no whitespace, strings escape only `"` and `\` (everything else raw),
 * numbers must be integral and are written as integers, no floats/NaN. Notary re-marshals a generic decode, so
 * key order and whitespace of the served bytes do not matter; this reproduces that exactly.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return canonicalNumber(value);
  if (typeof value === 'string') return canonicalString(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareUtf8(a, b));
    return `{${entries.map(([key, item]) => `${canonicalString(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  throw failed(DCT_CODES.malformed, `value of type ${typeof value} has no canonical JSON form`);
}

function canonicalNumber(value: number): string {
  // Go decodes into float64 and MarshalCanonical writes int64(f); refuse what it refuses and what int64 cannot hold exactly.
  if (!Number.isFinite(value) || !Number.isInteger(value)) throw failed(DCT_CODES.malformed, 'canonical JSON has no floating-point numbers');
  if (!Number.isSafeInteger(value)) throw failed(DCT_CODES.malformed, 'integer outside the exactly representable range');
  return Object.is(value, -0) ? '0' : String(value);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const SURROGATE = /[\uD800-\uDFFF]/;

function canonicalString(text: string): string {
  if (SURROGATE.test(text) && LONE_SURROGATE.test(text)) throw failed(DCT_CODES.malformed, 'string with a lone UTF-16 surrogate');
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * Go sorts map keys by their UTF-8 bytes. UTF-16 unit order is the same for text without surrogates (the BMP),
 * so only keys holding astral characters pay for an encoding.
 */
function compareUtf8(a: string, b: string): number {
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a < b ? -1 : a > b ? 1 : 0;
}
