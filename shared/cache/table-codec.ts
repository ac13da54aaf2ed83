import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import type { Verdict } from '../verdict/index.js';
import type { CachedVerdict, VerdictSource } from './port.js';
import { CacheError, CACHE_ERROR_CODES } from './errors.js';
import { toTableKeys } from './keys.js';
import {
  INLINE_JSON_MAX_CHARS, MAX_VERDICT_JSON_BYTES, PART_MAX_CHARS, PAYLOAD_MAX_CHARS, PROP, SIGNER_FACT_MAX_CHARS,
} from './constants.js';
import type { VerdictEncoding } from './constants.js';

export type VerdictEntity = TableEntity<Record<string, unknown>>;

/**
 * One verdict as a Table entity: the Verdict JSON (as is when small, otherwise gzip + base64 split over
 * `verdict0..N` properties), expiresAt/verifiedAt as real DateTime properties (listDue filters on expiresAt),
 * and plain copies of the key and signer facts for operators.
 * Throws ERR_CACHE_ENTRY_TOO_LARGE when even the compressed verdict would not fit one entity.
 */
export function toEntity(entry: CachedVerdict): VerdictEntity {
  const json = JSON.stringify(entry.verdict);
  let encoding: VerdictEncoding = 'json';
  let parts = [json];
  if (json.length > INLINE_JSON_MAX_CHARS) {
    const packed = gzipSync(Buffer.from(json, 'utf8')).toString('base64');
    if (packed.length > PAYLOAD_MAX_CHARS) {
      throw new CacheError(CACHE_ERROR_CODES.entryTooLarge, 'internal', 'verdict is too large for one Table entity even compressed', {
        details: { jsonChars: json.length, compressedChars: packed.length, limit: PAYLOAD_MAX_CHARS },
      });
    }
    encoding = 'gzip+base64';
    parts = [];
    for (let i = 0; i < packed.length; i += PART_MAX_CHARS) parts.push(packed.slice(i, i + PART_MAX_CHARS));
  }
  const signer = signerOf(entry.verdict);
  const entity: VerdictEntity = {
    ...toTableKeys(entry.key),
    [PROP.registry]: entry.key.registry,
    [PROP.repository]: entry.key.repository,
    [PROP.digest]: entry.key.digest,
    [PROP.fingerprint]: entry.key.fingerprint,
    [PROP.decision]: entry.verdict.decision,
    [PROP.source]: entry.source,
    [PROP.storedAt]: entry.storedAt,
    [PROP.verifiedAt]: new Date(entry.verdict.verifiedAt),
    [PROP.expiresAt]: new Date(entry.verdict.expiresAt),
    [PROP.verdictEncoding]: encoding,
    [PROP.verdictParts]: parts.length,
  };
  if (signer !== undefined) {
    entity[PROP.signerSubject] = signer.subject.slice(0, SIGNER_FACT_MAX_CHARS);
    entity[PROP.signerThumbprints] = signer.thumbprints.join(',').slice(0, SIGNER_FACT_MAX_CHARS);
  }
  parts.forEach((part, index) => (entity[PROP.verdictPartPrefix + index] = part));
  return entity;
}

const entitySchema = z.looseObject({
  [PROP.registry]: z.string(),
  [PROP.repository]: z.string(),
  [PROP.digest]: z.string(),
  [PROP.fingerprint]: z.string(),
  [PROP.source]: z.enum(['push', 'request', 'recheck']),
  [PROP.storedAt]: z.string(),
  [PROP.verdictEncoding]: z.enum(['json', 'gzip+base64']),
  [PROP.verdictParts]: z.number().int().min(1).max(PAYLOAD_MAX_CHARS / PART_MAX_CHARS + 1),
});

/**
 * The fields every tier relies on; the rest of the Verdict is carried through as stored. Rows written before the
 * format-neutral verdict carry `signatures` instead of `evidence`: they fail here and are read as misses (the tier
 * logs them as corrupt), never as a verdict, and their fingerprint no longer matches any key anyway.
 */
const verdictSchema = z.looseObject({
  subject: z.looseObject({ reference: z.string() }),
  decision: z.enum(['allow', 'deny', 'inconclusive']),
  evidence: z.array(z.looseObject({ scheme: z.string(), ok: z.boolean(), checks: z.array(z.unknown()) })),
  reasons: z.array(z.unknown()),
  verifiedAt: z.string(),
  expiresAt: z.string(),
});

/** Inverse of toEntity. Throws ERR_CACHE_CORRUPT_ENTRY for anything it did not write. */
export function fromEntity(entity: TableEntityResult<Record<string, unknown>>): CachedVerdict {
  const fields = entitySchema.safeParse(entity);
  if (!fields.success) throw corrupt('entity properties do not match the verdict entity shape', fields.error);
  const meta = fields.data;
  const parts: string[] = [];
  for (let i = 0; i < meta.verdictParts; i++) {
    const part = entity[PROP.verdictPartPrefix + i];
    if (typeof part !== 'string') throw corrupt(`verdict part ${i} is missing`);
    parts.push(part);
  }
  let json: string;
  try {
    json = meta.verdictEncoding === 'json'
      ? parts.join('')
      : gunzipSync(Buffer.from(parts.join(''), 'base64'), { maxOutputLength: MAX_VERDICT_JSON_BYTES }).toString('utf8');
  } catch (error) {
    throw corrupt('verdict payload does not decompress', error);
  }
  let verdict: unknown;
  try {
    verdict = JSON.parse(json);
  } catch (error) {
    throw corrupt('verdict payload is not JSON', error);
  }
  const checked = verdictSchema.safeParse(verdict);
  if (!checked.success) throw corrupt('verdict payload is not a Verdict', checked.error);
  return {
    key: { registry: meta.registry, repository: meta.repository, digest: meta.digest, fingerprint: meta.fingerprint },
    verdict: checked.data as unknown as Verdict,
    source: meta.source as VerdictSource,
    storedAt: meta.storedAt,
  };
}

/** The signer that decided the verdict: the first passing evidence with signer facts, else the first with any. */
function signerOf(verdict: Verdict): { subject: string; thumbprints: string[] } | undefined {
  const withSigner = verdict.evidence.filter((e) => e.signer !== undefined);
  const signer = (withSigner.find((e) => e.ok) ?? withSigner[0])?.signer;
  return signer === undefined ? undefined : { subject: signer.subject, thumbprints: signer.thumbprints ?? [] };
}

function corrupt(message: string, cause?: unknown): CacheError {
  return new CacheError(CACHE_ERROR_CODES.corruptEntry, 'internal', message, { cause });
}
