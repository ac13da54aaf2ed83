/**
 * Limits and names of the verdict cache. Table Storage limits: keys ≤ 1 KiB and free of `/ \ # ?` and
 * control characters, properties ≤ 64 KiB, entities ≤ 1 MiB and ≤ 255 properties
 * (https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model).
 */

/** Escape character of the key encoding; always followed by two lowercase hex digits of one UTF-8 byte. */
export const KEY_ESCAPE = '!';
/** Joins the two encoded halves of a key; never produced by the encoding itself. */
export const KEY_SEPARATOR = '~';
/** Prefix of a hashed key (used when the encoded key would be too long); cannot start an encoded key. */
export const HASHED_KEY_PREFIX = '~~';
/**
 * Longest key we write, in characters. Keys are ASCII after encoding; 512 stays inside 1 KiB even if the
 * service counts UTF-16 bytes.
 */
export const MAX_KEY_CHARS = 512;

/** Verdict JSON up to this many characters is stored as is (≤ 32 KiB even as UTF-16). */
export const INLINE_JSON_MAX_CHARS = 16_384;
/** One verdict part property: base64 text, ASCII, well under the 64 KiB property limit. */
export const PART_MAX_CHARS = 30_000;
/** All verdict parts together: keeps the entity under 1 MiB (UTF-16) with room for the other properties. */
export const PAYLOAD_MAX_CHARS = 420_000;
/** Bound on the decompressed verdict JSON when reading (a corrupt or hostile entity cannot balloon). */
export const MAX_VERDICT_JSON_BYTES = 8 * 1024 * 1024;
/** Signer facts are informative copies; keep them small. */
export const SIGNER_FACT_MAX_CHARS = 4_096;

/** Entity property names (also the names operators query on). */
export const PROP = {
  registry: 'registry',
  repository: 'repository',
  digest: 'digest',
  fingerprint: 'fingerprint',
  decision: 'decision',
  source: 'source',
  storedAt: 'storedAt',
  verifiedAt: 'verifiedAt',
  expiresAt: 'expiresAt',
  signerSubject: 'signerSubject',
  signerThumbprints: 'signerThumbprints',
  verdictEncoding: 'verdictEncoding',
  verdictParts: 'verdictParts',
  /** Followed by the part index: verdict0, verdict1, … */
  verdictPartPrefix: 'verdict',
} as const;

export type VerdictEncoding = 'json' | 'gzip+base64';

/** Optimistic-concurrency rounds (create → read → conditional replace) before a put gives up. */
export const MAX_WRITE_ATTEMPTS = 5;
/** listDue reads at most this many due keys per call (Table Storage cannot order by expiresAt). */
export const DUE_SCAN_MAX_ROWS = 5_000;
/** deleteDigest removes at most this many fingerprint rows per call. */
export const DELETE_MAX_ROWS = 1_000;
