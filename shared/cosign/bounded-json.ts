import { CosignError } from './errors.js';
import { LIMITS } from './constants.js';

/**
 * Parses untrusted JSON after bounding its size and nesting depth (checked on the text, before JSON.parse,
 * so a deeply nested document cannot exhaust the stack of a later recursive reader).
 */
export function parseBoundedJson(input: Uint8Array | string, maxBytes: number, what: string): unknown {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > maxBytes) throw new CosignError('ERR_COSIGN_TOO_LARGE', `${what} is ${size} bytes (limit ${maxBytes})`);
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  if (jsonDepth(text) > LIMITS.jsonDepth) throw new CosignError('ERR_COSIGN_TOO_LARGE', `${what} nests deeper than ${LIMITS.jsonDepth}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CosignError('ERR_COSIGN_MALFORMED', `${what} is not JSON`, { cause: error });
  }
}

/** Maximum bracket nesting outside strings. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
