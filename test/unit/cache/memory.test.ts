import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/core/index.js';
import { MemoryResultCache } from '../../../shared/cache/index.js';
import { BASE_KEY, cachedVerdict } from './verdict-factory.js';

const T0 = new Date('2026-11-01T12:00:00Z');

function cache(maxEntries = 10): MemoryResultCache {
  return new MemoryResultCache({ maxEntries, clock: new ManualClock(T0) });
}

describe('MemoryResultCache', () => {
  it('returns a stored verdict until it expires, then misses', async () => {
    const c = cache();
    const entry = cachedVerdict();
    await c.put(entry);
    expect(await c.get(BASE_KEY, T0)).toEqual(entry);
    expect(await c.get(BASE_KEY, new Date('2026-11-02T00:00:00Z'))).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('a caller cannot change what the cache serves: the stored form is a copy and every hit and listing is deep-frozen', async () => {
    const c = cache();
    const entry = cachedVerdict();
    await c.put(entry);
    entry.verdict.reasons.push({ code: 'X', message: 'after put' });
    entry.verdict.evidence[0]!.checks[0]!.ok = false;
    const first = await c.get(BASE_KEY, T0); // even a first hit: no private parse any more, the stored form itself
    if (!first) throw new Error('expected a hit');
    expect(Object.isFrozen(first.verdict)).toBe(true);
    expect(() => { first.verdict.decision = 'deny'; }).toThrow(TypeError);
    expect(() => { first.verdict.reasons.push({ code: 'Y', message: 'mutated' }); }).toThrow(TypeError);
    expect(() => { first.verdict.evidence[0]!.checks[0]!.ok = false; }).toThrow(TypeError);
    expect(() => { first.verdict.subject.digest = 'sha256:changed'; }).toThrow(TypeError);
    const [listed] = (await c.listDue(new Date('2026-11-03T00:00:00Z'), 10)).entries;
    expect(() => { listed!.verdict.evidence.pop(); }).toThrow(TypeError);
    first.key.digest = 'sha256:changed'; // the key is the caller's own copy
    const second = c.peek(BASE_KEY, T0);
    expect(second?.key.digest).toBe(BASE_KEY.digest);
    expect(second?.verdict.decision).toBe('allow');
    expect(second?.verdict.reasons.some((r) => r.code === 'X')).toBe(false);
    expect(second?.verdict.evidence[0]?.checks[0]?.ok).toBe(true);
  });

  it('verdicts that share parts are served exactly as they were put, and deleting one leaves the other whole', async () => {
    const c = cache();
    const a = cachedVerdict({ key: { digest: 'sha256:' + '1'.repeat(64) }, signatures: 2 });
    const b = cachedVerdict({ key: { digest: 'sha256:' + '2'.repeat(64) }, signatures: 3, decision: 'deny' });
    const aJson = JSON.parse(JSON.stringify(a)) as unknown;
    const bJson = JSON.parse(JSON.stringify(b)) as unknown;
    await c.put(a);
    await c.put(b);
    const hitA = c.peek(a.key, T0);
    const hitB = c.peek(b.key, T0);
    expect(hitA).toEqual(aJson);
    expect(hitB).toEqual(bJson);
    expect(hitA?.verdict.evidence[1]?.signer).toBe(hitB?.verdict.evidence[1]?.signer); // shared, not held twice
    expect(hitA?.verdict.policy).toBe(hitB?.verdict.policy);
    await c.delete(a.key);
    expect(c.peek(a.key, T0)).toBeUndefined();
    expect(c.peek(b.key, T0)).toEqual(bJson);
  });

  it.each([
    ['digest', { digest: 'sha256:' + 'b'.repeat(64) }],
    ['fingerprint', { fingerprint: 'e'.repeat(64) }],
    ['repository', { repository: 'team/other' }],
    ['registry', { registry: 'other.azurecr.io' }],
  ])('misses when the %s differs', async (_field, change) => {
    const c = cache();
    await c.put(cachedVerdict());
    expect(await c.get({ ...BASE_KEY, ...change }, T0)).toBeUndefined();
  });

  it('does not store inconclusive or already-expired verdicts', async () => {
    const c = cache();
    await c.put(cachedVerdict({ decision: 'inconclusive' }));
    await c.put(cachedVerdict({ key: { digest: 'sha256:' + 'c'.repeat(64) }, expiresAt: '2026-11-01T11:00:00Z' }));
    expect(c.size).toBe(0);
  });

  it('keeps the verdict with the newer verifiedAt when writes arrive out of order', async () => {
    const c = cache();
    const newer = cachedVerdict({ decision: 'deny', verifiedAt: '2026-11-01T10:00:00Z' });
    await c.put(newer);
    await c.put(cachedVerdict({ decision: 'allow', verifiedAt: '2026-11-01T09:00:00Z' }));
    expect((await c.get(BASE_KEY, T0))?.verdict.decision).toBe('deny');
  });

  it('evicts the least recently used entry past maxEntries', async () => {
    const c = cache(2);
    const keyOf = (n: string) => ({ ...BASE_KEY, digest: 'sha256:' + n.repeat(64) });
    await c.put(cachedVerdict({ key: keyOf('1') }));
    await c.put(cachedVerdict({ key: keyOf('2') }));
    await c.get(keyOf('1'), T0); // 1 is now the most recent
    await c.put(cachedVerdict({ key: keyOf('3') }));
    expect(await c.get(keyOf('2'), T0)).toBeUndefined();
    expect(await c.get(keyOf('1'), T0)).toBeDefined();
    expect(await c.get(keyOf('3'), T0)).toBeDefined();
  });

  it('deleteDigest removes the verdicts of every fingerprint and nothing else', async () => {
    const c = cache();
    await c.put(cachedVerdict({ key: { fingerprint: '1' } }));
    await c.put(cachedVerdict({ key: { fingerprint: '2' } }));
    const other = cachedVerdict({ key: { digest: 'sha256:' + 'd'.repeat(64) } });
    const sameDigestElsewhere = cachedVerdict({ key: { repository: 'team/mirror' } });
    await c.put(other);
    await c.put(sameDigestElsewhere);
    await c.deleteDigest(BASE_KEY.registry, BASE_KEY.repository, BASE_KEY.digest);
    expect(c.size).toBe(2);
    expect(await c.get(other.key, T0)).toEqual(other);
    expect(await c.get(sameDigestElsewhere.key, T0)).toEqual(sameDigestElsewhere);
    await c.delete(sameDigestElsewhere.key);
    expect(c.size).toBe(1);
    expect((await c.listDue(new Date('2026-11-03T00:00:00Z'), 10)).entries.map((e) => e.key)).toEqual([other.key]);
  });

  it('lists due entries oldest first across pages', async () => {
    const c = cache();
    const hours = [5, 1, 3, 2, 4];
    for (const h of hours) {
      await c.put(cachedVerdict({ key: { digest: `sha256:${h}` }, expiresAt: `2026-11-01T${String(12 + h).padStart(2, '0')}:00:00Z` }));
    }
    const before = new Date('2026-11-01T16:30:00Z'); // h = 1..4 are due
    const first = await c.listDue(before, 3);
    expect(first.entries.map((e) => e.key.digest)).toEqual(['sha256:1', 'sha256:2', 'sha256:3']);
    const second = await c.listDue(before, 3, first.continuation);
    expect(second.entries.map((e) => e.key.digest)).toEqual(['sha256:4']);
    expect(second.continuation).toBeUndefined();
  });

  it('rejects a non-positive maxEntries', () => {
    expect(() => new MemoryResultCache({ maxEntries: 0 })).toThrow(RangeError);
  });

  describe('bounded in bytes (finding 8: the tier was bounded by entry count only)', () => {
    const digestKey = (i: number) => ({ digest: 'sha256:' + i.toString(16).padStart(64, '0') });

    it('evicts the least recently used verdicts once the JSON held passes maxBytes', async () => {
      const c = new MemoryResultCache({ maxEntries: 1000, maxBytes: 200_000, maxEntryBytes: 100_000, clock: new ManualClock(T0) });
      for (let i = 0; i < 20; i++) await c.put(cachedVerdict({ key: digestKey(i), signatures: 2, messageChars: 30_000 }));
      expect(c.sizeBytes).toBeLessThanOrEqual(200_000);
      expect(c.size).toBeLessThan(20);
      expect(await c.get({ ...BASE_KEY, ...digestKey(19) }, T0)).toBeDefined();
      expect(await c.get({ ...BASE_KEY, ...digestKey(0) }, T0)).toBeUndefined();
    });

    it('does not keep a single verdict over maxEntryBytes, and accounts deletes', async () => {
      const c = new MemoryResultCache({ maxEntries: 10, maxBytes: 1_000_000, maxEntryBytes: 50_000, clock: new ManualClock(T0) });
      await c.put(cachedVerdict({ signatures: 5, messageChars: 20_000 }));
      expect(c.size).toBe(0);
      await c.put(cachedVerdict());
      expect(c.sizeBytes).toBeGreaterThan(0);
      await c.deleteDigest(BASE_KEY.registry, BASE_KEY.repository, BASE_KEY.digest);
      expect(c.sizeBytes).toBe(0);
    });
  });
});
