import { exceedsJsonDepth } from '../core/index.js';
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
  if (exceedsJsonDepth(text, LIMITS.jsonDepth)) throw new CosignError('ERR_COSIGN_TOO_LARGE', `${what} nests deeper than ${LIMITS.jsonDepth}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CosignError('ERR_COSIGN_MALFORMED', `${what} is not JSON`, { cause: error });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
