import { exceedsJsonDepth } from '../core/index.js';
import { DCT_CODES, failed } from './errors.js';

/** TUF metadata nests at most ~6 levels (targets → delegations → roles → [] → paths); 32 leaves room and stops bombs. */
export const MAX_JSON_DEPTH = 32;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses trust-server bytes: strict UTF-8 (no silent U+FFFD), nesting depth checked by a scan before JSON.parse
 * so a deeply nested answer is refused without building it.
 */
export function parseBoundedJson(bytes: Uint8Array, what: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw failed(DCT_CODES.malformed, `${what} is not valid UTF-8`);
  }
  if (exceedsJsonDepth(bytes, maxDepth)) throw failed(DCT_CODES.malformed, `${what} nests deeper than ${maxDepth} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw failed(DCT_CODES.malformed, `${what} is not JSON: ${(error as Error).message}`);
  }
}
