import { createHash } from 'node:crypto';
import { DCT_CODES, failed } from './errors.js';
import type { FileMeta } from './metadata.js';

const SUPPORTED = ['sha256', 'sha512'] as const;

/**
 * The served bytes must have exactly the length and every supported hash the parent role signed (Notary's
 * CheckHashes: at least one supported hash, all supported ones equal).
 */
export function checkFileMeta(bytes: Uint8Array, meta: FileMeta, what: string): void {
  if (bytes.byteLength !== meta.length) throw failed(DCT_CODES.tampered, `${what} is ${bytes.byteLength} bytes, its parent signed ${meta.length}`);
  let checked = 0;
  for (const algorithm of SUPPORTED) {
    const expected = Object.hasOwn(meta.hashes, algorithm) ? meta.hashes[algorithm] : undefined;
    if (expected === undefined) continue;
    const actual = createHash(algorithm).update(bytes).digest('base64');
    if (actual !== expected) throw failed(DCT_CODES.tampered, `${what} does not match the ${algorithm} its parent role signed`);
    checked++;
  }
  if (checked === 0) throw failed(DCT_CODES.malformed, `${what}: the parent role lists no sha256/sha512 hash`);
}

/** The hex digest a target signs for `algorithm`, or undefined. */
export function targetHashHex(meta: FileMeta, algorithm: 'sha256' | 'sha512'): string | undefined {
  const value = Object.hasOwn(meta.hashes, algorithm) ? meta.hashes[algorithm] : undefined;
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === (algorithm === 'sha256' ? 32 : 64) ? bytes.toString('hex') : undefined;
}
