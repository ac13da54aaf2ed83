import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/core/index.js';
import { MemoryResultCache, type CachedVerdict, type CacheKey } from '../../../shared/cache/index.js';
import { cachedVerdict } from './verdict-factory.js';

const T0 = Date.parse('2026-11-01T12:00:00Z');
const HOUR = 3_600_000;
const MAX_ENTRIES = 3;

/** Six keys: two share a digest across repositories, two across registries, two across fingerprints. */
const KEYS: CacheKey[] = [
  ['r1.io', 'team/a', '1', 'f1'],
  ['r1.io', 'team/b', '1', 'f1'],
  ['r2.io', 'team/a', '1', 'f1'],
  ['r1.io', 'team/a', '2', 'f1'],
  ['r1.io', 'team/a', '2', 'f2'],
  ['r1.io', 'team/a', '3', 'f1'],
].map(([registry, repository, d, fingerprint]) => ({ registry: registry as string, repository: repository as string, digest: 'sha256:' + (d as string).repeat(64), fingerprint: fingerprint as string }));
const keyArb = fc.constantFrom(...KEYS);

type Op =
  | { kind: 'put'; key: CacheKey; decision: 'allow' | 'deny' | 'inconclusive'; verifiedHour: number; expiresHour: number; signatures: number }
  | { kind: 'get'; key: CacheKey; hour: number }
  | { kind: 'delete'; key: CacheKey }
  | { kind: 'deleteDigest'; key: CacheKey }
  | { kind: 'list'; beforeHour: number; limit: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: keyArb, decision: fc.constantFrom('allow' as const, 'deny' as const, 'inconclusive' as const), verifiedHour: fc.integer({ min: -3, max: 0 }), expiresHour: fc.integer({ min: -1, max: 4 }), signatures: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('put' as const), key: keyArb, decision: fc.constant('allow' as const), verifiedHour: fc.constant(0), expiresHour: fc.integer({ min: 1, max: 4 }), signatures: fc.constant(1) }),
  fc.record({ kind: fc.constant('get' as const), key: keyArb, hour: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('delete' as const), key: keyArb }),
  fc.record({ kind: fc.constant('deleteDigest' as const), key: keyArb }),
  fc.record({ kind: fc.constant('list' as const), beforeHour: fc.integer({ min: 0, max: 6 }), limit: fc.integer({ min: 1, max: 3 }) }),
);

const idOf = (k: CacheKey) => JSON.stringify([k.registry, k.repository, k.digest, k.fingerprint]);
const iso = (hour: number) => new Date(T0 + hour * HOUR).toISOString();

/** The obvious implementation: an LRU Map, scan-and-sort for listDue (ties in put order). */
interface ModelEntry {
  entry: CachedVerdict;
  json: string;
  /** Length of the verdict's JSON text when put (what sizeBytes counts). */
  bytes: number;
  expiresAt: number;
  seq: number;
}

describe('MemoryResultCache against a model (LRU map, scan-and-sort listing)', () => {
  it('answers every get, listing and size as the model does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 80, size: 'max' }), async (ops) => {
        const cache = new MemoryResultCache({ maxEntries: MAX_ENTRIES, clock: new ManualClock(new Date(T0)) });
        const model = new Map<string, ModelEntry>();
        let seq = 0;
        for (const op of ops) {
          if (op.kind === 'put') {
            const entry = cachedVerdict({ key: op.key, decision: op.decision, verifiedAt: iso(op.verifiedHour), expiresAt: iso(op.expiresHour), signatures: op.signatures });
            await cache.put(entry);
            const id = idOf(op.key);
            const existing = model.get(id);
            const stored = op.decision !== 'inconclusive' && op.expiresHour > 0 && (existing === undefined || Date.parse(existing.entry.verdict.verifiedAt) <= T0 + op.verifiedHour * HOUR);
            if (stored) {
              model.delete(id);
              model.set(id, { entry, json: JSON.stringify(entry), bytes: JSON.stringify(entry.verdict).length, expiresAt: T0 + op.expiresHour * HOUR, seq: seq++ });
              while (model.size > MAX_ENTRIES) model.delete(model.keys().next().value as string);
            }
            entry.verdict.reasons.length = 0; // the caller's object changes after put: never what the cache serves
          } else if (op.kind === 'get') {
            const at = new Date(T0 + op.hour * HOUR);
            const hit = op.hour % 2 === 0 ? cache.peek(op.key, at) : await cache.get(op.key, at);
            const id = idOf(op.key);
            const known = model.get(id);
            if (known !== undefined && at.getTime() >= known.expiresAt) model.delete(id);
            if (known !== undefined && at.getTime() < known.expiresAt) {
              model.delete(id);
              model.set(id, known);
              expect(hit).toEqual(JSON.parse(known.json));
            } else {
              expect(hit).toBeUndefined();
            }
          } else if (op.kind === 'delete') {
            await cache.delete(op.key);
            model.delete(idOf(op.key));
          } else if (op.kind === 'deleteDigest') {
            await cache.deleteDigest(op.key.registry, op.key.repository, op.key.digest);
            for (const [id, { entry }] of model) {
              if (entry.key.registry === op.key.registry && entry.key.repository === op.key.repository && entry.key.digest === op.key.digest) model.delete(id);
            }
          } else {
            const before = new Date(T0 + op.beforeHour * HOUR);
            const listed: CachedVerdict[] = [];
            let continuation: string | undefined;
            for (let pages = 0; pages < 40; pages++) {
              const page = await cache.listDue(before, op.limit, continuation);
              expect(page.entries.length).toBeLessThanOrEqual(op.limit);
              listed.push(...page.entries);
              continuation = page.continuation;
              if (continuation === undefined) break;
            }
            const expected = [...model.values()].filter((m) => m.expiresAt < before.getTime()).sort((a, b) => a.expiresAt - b.expiresAt || a.seq - b.seq);
            expect(listed).toEqual(expected.map((m) => JSON.parse(m.json) as unknown));
          }
          expect(cache.size).toBe(model.size);
          expect(cache.sizeBytes).toBe([...model.values()].reduce((sum, m) => sum + m.bytes, 0));
        }
      }),
      { numRuns: 300 },
    );
  });
});
