import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/core/index.js';
import { ExpiringCache } from '../../../shared/pki/revocation/cache.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('ExpiringCache.getOrRefresh (revocation data, stale-while-revalidate)', () => {
  it('one fetch for 640 concurrent callers; inside the refresh window callers keep the answer while one refetch runs', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const cache = new ExpiringCache<string>(clock, 10, 30 * 60_000);
    let fetches = 0;
    let fail = false;
    const refresh = async () => {
      fetches++;
      await tick();
      if (fail) throw new Error('responder down');
      return { value: `crl-${fetches}`, expiresAt: new Date(clock.now().getTime() + 60 * 60_000) };
    };
    const first = await Promise.all(Array.from({ length: 640 }, () => cache.getOrRefresh('url', refresh)));
    expect(fetches).toBe(1);
    expect(new Set(first)).toEqual(new Set(['crl-1']));

    clock.advance(40 * 60_000); // past the refresh point (nextUpdate - 30 min), before nextUpdate
    fail = true;
    const stale = await Promise.all(Array.from({ length: 640 }, () => cache.getOrRefresh('url', refresh)));
    expect(stale.every((v) => v === 'crl-1')).toBe(true); // a failing responder never turns the cached answer into unknown
    await tick();
    await tick();
    expect(fetches).toBe(2);

    fail = false;
    expect(await cache.getOrRefresh('url', refresh)).toBe('crl-1');
    await tick();
    await tick();
    expect(await cache.getOrRefresh('url', refresh)).toBe('crl-3');

    clock.advance(2 * 60 * 60_000); // past nextUpdate: never served, the caller waits for the refetch
    fail = true;
    await expect(cache.getOrRefresh('url', refresh)).rejects.toThrow('responder down');
    expect(cache.get('url')).toBeUndefined();
  });
});
