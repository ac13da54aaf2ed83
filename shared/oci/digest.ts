import { createHash } from 'node:crypto';
import { RegistryError } from './errors.js';

/** Digest algorithms registered by the OCI image spec (descriptor.md "Registered algorithms"), with their hex length. */
const ALGORITHMS: Readonly<Record<string, { hash: string; hexLength: number }>> = {
  sha256: { hash: 'sha256', hexLength: 64 },
  sha512: { hash: 'sha512', hexLength: 128 },
};

/** A parsed `algorithm:encoded` digest. */
export interface ParsedDigest {
  algorithm: 'sha256' | 'sha512';
  encoded: string;
}

/** True when `text` is a digest this client can verify (sha256/sha512, lowercase hex of the right length). */
export function isDigest(text: string): boolean {
  return tryParseDigest(text) !== undefined;
}

/** Parses a digest or throws ERR_INVALID_DIGEST (image-spec descriptor.md "Digests"). */
export function parseDigest(text: string): ParsedDigest {
  const parsed = tryParseDigest(text);
  if (!parsed) throw new RegistryError('ERR_INVALID_DIGEST', 'invalid-input', `not a supported digest: ${JSON.stringify(text.slice(0, 200))}`);
  return parsed;
}

function tryParseDigest(text: string): ParsedDigest | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const algorithm = text.slice(0, colon);
  const encoded = text.slice(colon + 1);
  const spec = ALGORITHMS[algorithm];
  if (!spec || encoded.length !== spec.hexLength || !/^[a-f0-9]+$/.test(encoded)) return undefined;
  return { algorithm: algorithm as ParsedDigest['algorithm'], encoded };
}

/** The digest of `bytes` with the algorithm of `like` (sha256 by default). */
export function computeDigest(bytes: Uint8Array, like = 'sha256:'): string {
  const algorithm = like.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Whether `bytes` hash to `digest` (which must already be valid). */
export function digestMatches(bytes: Uint8Array, digest: string): boolean {
  return computeDigest(bytes, digest) === digest;
}

/**
 * The referrers tag schema's tag for a digest (distribution-spec 1.1 "Referrers Tag Schema"):
 * `<alg>-<encoded>`, algorithm truncated to 32 characters and encoded part to 64.
 */
export function referrersTagFor(digest: string): string {
  const { algorithm, encoded } = parseDigest(digest);
  return `${algorithm.slice(0, 32)}-${encoded.slice(0, 64)}`;
}
