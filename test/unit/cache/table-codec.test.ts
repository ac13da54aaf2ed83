import { describe, expect, it } from 'vitest';
import type { TableEntityResult } from '@azure/data-tables';
import { fromEntity, toEntity } from '../../../shared/cache/table-codec.js';
import { CacheError } from '../../../shared/cache/index.js';
import { PAYLOAD_MAX_CHARS, PART_MAX_CHARS } from '../../../shared/cache/constants.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { cachedVerdict } from './verdict-factory.js';

type Row = TableEntityResult<Record<string, unknown>>;
/** What the SDK hands back: the entity plus an etag, DateTime properties as Date. */
const asRead = (entity: Record<string, unknown>): Row => ({ ...entity, etag: 'W/"1"' }) as Row;

describe('verdict entity codec', () => {
  it('stores a small verdict as plain JSON in one property, with plain key and signer facts', () => {
    const entry = cachedVerdict();
    const entity = toEntity(entry);
    expect(entity).toMatchObject({
      verdictEncoding: 'json',
      verdictParts: 1,
      registry: entry.key.registry,
      repository: entry.key.repository,
      decision: 'allow',
      signerSubject: 'CN=signer 0,O=Contoso,C=US',
      signerThumbprints: `${'1'.repeat(64)},${'2'.repeat(64)}`,
    });
    expect(entity.expiresAt).toBeInstanceOf(Date);
    expect(fromEntity(asRead(entity))).toEqual(entry);
  });

  it('compresses and splits a large verdict under the property limit', () => {
    const entry = cachedVerdict({ signatures: 40, messageChars: 2_000 });
    const entity = toEntity(entry);
    expect(entity.verdictEncoding).toBe('gzip+base64');
    expect(entity.verdictParts).toBeGreaterThan(1);
    for (let i = 0; i < (entity.verdictParts as number); i++) {
      expect((entity[`verdict${i}`] as string).length).toBeLessThanOrEqual(PART_MAX_CHARS);
    }
    expect(fromEntity(asRead(entity))).toEqual(entry);
  });

  it('refuses a verdict that would not fit one entity even compressed', async () => {
    const entry = cachedVerdict({ signatures: 300, messageChars: 2_000 });
    const error = await expectAppError(() => toEntity(entry), 'ERR_CACHE_ENTRY_TOO_LARGE');
    expect(error).toBeInstanceOf(CacheError);
    expect(error.details?.limit).toBe(PAYLOAD_MAX_CHARS);
  });

  it.each([
    ['a missing part', (e: Record<string, unknown>) => void delete e.verdict0],
    ['bad JSON', (e: Record<string, unknown>) => void (e.verdict0 = '{')],
    ['a non-verdict payload', (e: Record<string, unknown>) => void (e.verdict0 = '{"decision":"maybe"}')],
    ['an unknown encoding', (e: Record<string, unknown>) => void (e.verdictEncoding = 'zstd')],
    ['an unknown source', (e: Record<string, unknown>) => void (e.source = 'guess')],
    ['a broken gzip stream', (e: Record<string, unknown>) => void Object.assign(e, { verdictEncoding: 'gzip+base64', verdict0: 'AAAA' })],
  ])('rejects an entity with %s as corrupt', async (_what, damage) => {
    const entity = toEntity(cachedVerdict());
    damage(entity);
    await expectAppError(() => fromEntity(asRead(entity)), 'ERR_CACHE_CORRUPT_ENTRY', 'internal');
  });

  it('reads a row written before the format-neutral verdict (signatures, no evidence) as corrupt, never as a verdict', async () => {
    const entity = toEntity(cachedVerdict());
    const { evidence, ...rest } = JSON.parse(entity.verdict0 as string) as Record<string, unknown>;
    expect(evidence).toBeDefined();
    entity.verdict0 = JSON.stringify({ ...rest, signatures: [{ signatureDigest: 'sha256:0', envelopeMediaType: 'application/jose+json', level: 'strict', ok: true, checks: [] }] });
    await expectAppError(() => fromEntity(asRead(entity)), 'ERR_CACHE_CORRUPT_ENTRY', 'internal');
  });
});
