/**
 * The deepest JSON nesting accepted from a registry or an envelope. Real manifests, indexes, JWS headers and token
 * answers nest 4–6 levels; 32 leaves room for annotations and still keeps JSON.parse and schema walks shallow.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether JSON text nests deeper than `maxDepth` arrays/objects, measured on the raw bytes in one linear pass
 * (strings skipped, escapes honoured) — before JSON.parse builds anything. Malformed JSON is not judged here.
 */
export function exceedsJsonDepth(input: Uint8Array | string, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c) i++; // backslash: skip the escaped byte
      else if (byte === 0x22) inString = false;
      continue;
    }
    if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}
