import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/core/index.js';
import { MemoryResultCache, TieredResultCache } from '../../../shared/cache/index.js';
import { BASE_KEY, cachedVerdict } from './verdict-factory.js';

const T0 = new Date('2026-11-01T12:00:00Z');
const memory = () => new MemoryResultCache({ maxEntries: 100, clock: new ManualClock(T0) });

describe('TieredResultCache', () => {
  it('fills the upper tier on a lower-tier hit', async () => {
    const [upper, lower] = [memory(), memory()];
    const tiered = new TieredResultCache([upper, lower]);
    const entry = cachedVerdict();
    await lower.put(entry);
    expect(await tiered.get(BASE_KEY, T0)).toEqual(entry);
    expect(await upper.get(BASE_KEY, T0)).toEqual(entry);
  });

  it('tells of every lookup in every tier by name (cache-tier hit metrics)', async () => {
    const [upper, lower] = [memory(), memory()];
    const lookups: string[] = [];
    const tiered = new TieredResultCache([upper, lower], { names: ['memory', 'table'], onLookup: (tier, hit) => lookups.push(`${tier}:${hit}`) });
    await lower.put(cachedVerdict());
    await tiered.get(BASE_KEY, T0);
    await tiered.get(BASE_KEY, T0);
    expect(lookups).toEqual(['memory:false', 'table:true', 'memory:true']);
  });

  it('writes and deletes in every tier', async () => {
    const [upper, lower] = [memory(), memory()];
    const tiered = new TieredResultCache([upper, lower]);
    await tiered.put(cachedVerdict());
    expect([upper.size, lower.size]).toEqual([1, 1]);
    await tiered.deleteDigest(BASE_KEY.registry, BASE_KEY.repository, BASE_KEY.digest);
    expect([upper.size, lower.size]).toEqual([0, 0]);
  });

  it('lists due entries from the last tier only', async () => {
    const [upper, lower] = [memory(), memory()];
    const tiered = new TieredResultCache([upper, lower]);
    await upper.put(cachedVerdict({ key: { digest: 'sha256:upper' } }));
    await lower.put(cachedVerdict({ key: { digest: 'sha256:lower' } }));
    const page = await tiered.listDue(new Date('2026-11-03T00:00:00Z'), 10);
    expect(page.entries.map((e) => e.key.digest)).toEqual(['sha256:lower']);
  });

  it('misses when no tier has the key', async () => {
    expect(await new TieredResultCache([memory(), memory()]).get(BASE_KEY, T0)).toBeUndefined();
  });
});
