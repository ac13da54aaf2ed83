import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/core/index.js';
import type { Descriptor } from '../../../shared/oci/index.js';
import { TagCache } from '../../../shared/verification/index.js';

const REF = 'registry.example/app:1.0';
const descriptor = (n: number): Descriptor => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${String(n).padStart(64, '0')}`, size: 100 + n });

/** A registry HEAD that takes a few ticks, counts its calls and can be told to fail. */
function fakeHead() {
  const state = { calls: 0, fail: false, answer: 1 };
  const head = async (): Promise<Descriptor> => {
    state.calls++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (state.fail) throw new Error('registry unavailable');
    return descriptor(state.answer);
  };
  return { state, head };
}

describe('TagCache.getOrRefresh (stale-while-revalidate, one flight per tag)', () => {
  it('640 concurrent first lookups send one HEAD and all get its answer', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const cache = new TagCache(30_000);
    const { state, head } = fakeHead();
    const now = () => clock.now().getTime();
    const all = await Promise.all(Array.from({ length: 640 }, () => cache.getOrRefresh(REF, now, head)));
    expect(state.calls).toBe(1);
    expect(new Set(all.map((d) => d.digest))).toEqual(new Set([descriptor(1).digest]));
  });

  it('reproduces the stampede: 640 concurrent lookups of an expired tag → 1 HEAD, nobody waits or fails', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const cache = new TagCache(30_000);
    const { state, head } = fakeHead();
    const now = () => clock.now().getTime();
    await cache.getOrRefresh(REF, now, head);
    clock.advance(30_001); // the resolution expired
    state.answer = 2;
    let settledBeforeRefresh = 0;
    const pending = Array.from({ length: 640 }, () => cache.getOrRefresh(REF, now, head).then((d) => { settledBeforeRefresh += state.calls === 2 && cache.refreshesInFlight === 1 ? 1 : 0; return d; }));
    const answers = await Promise.all(pending);
    expect(state.calls).toBe(2); // the first load and exactly one refresh
    expect(settledBeforeRefresh).toBe(640); // everyone was answered from the last good value while the refresh ran
    expect(answers.every((d) => d.digest === descriptor(1).digest)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await cache.getOrRefresh(REF, now, head)).toEqual(descriptor(2)); // the refresh landed
    expect(state.calls).toBe(2);
  });

  it('a failed refresh keeps serving the last good value within its lifetime, then retries', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const errors: unknown[] = [];
    const cache = new TagCache(30_000, 100, { maxStaleMs: 60_000, retryAfterMs: 1_000, onRefreshError: (_r, e) => errors.push(e) });
    const { state, head } = fakeHead();
    const now = () => clock.now().getTime();
    await cache.getOrRefresh(REF, now, head);
    clock.advance(31_000);
    state.fail = true;
    const answers = await Promise.all(Array.from({ length: 640 }, () => cache.getOrRefresh(REF, now, head)));
    expect(answers.every((d) => d.digest === descriptor(1).digest)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errors).toHaveLength(1);
    expect(state.calls).toBe(2);
    await cache.getOrRefresh(REF, now, head); // within retryAfterMs: no new HEAD
    expect(state.calls).toBe(2);
    clock.advance(1_000);
    expect(await cache.getOrRefresh(REF, now, head)).toEqual(descriptor(1)); // retry starts in the background
    expect(state.calls).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(60_000); // past the usable lifetime: the failure now reaches the caller
    await expect(cache.getOrRefresh(REF, now, head)).rejects.toThrow('registry unavailable');
  });

  it('forget during a refresh is not undone by the refresh answering late', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const cache = new TagCache(30_000);
    const { state, head } = fakeHead();
    const now = () => clock.now().getTime();
    const first = cache.getOrRefresh(REF, now, head);
    cache.forget(REF); // a push moved the tag while the HEAD was on the wire
    await first;
    expect(cache.get(REF, now())).toBeUndefined();
    state.answer = 3;
    expect(await cache.getOrRefresh(REF, now, head)).toEqual(descriptor(3));
  });

  it('a resolution from the clock\'s future is not served (the clock moved back)', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const cache = new TagCache(30_000);
    const { state, head } = fakeHead();
    const now = () => clock.now().getTime();
    await cache.getOrRefresh(REF, now, head);
    clock.advance(-60_000);
    state.answer = 4;
    expect(await cache.getOrRefresh(REF, now, head)).toEqual(descriptor(4));
    expect(state.calls).toBe(2);
  });

  it('forgetDigest drops tags that point at the digest; TTL 0 caches nothing but still shares a flight', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const now = () => clock.now().getTime();
    const cache = new TagCache(30_000);
    cache.set(REF, descriptor(1), now());
    cache.forgetDigest(descriptor(1).digest);
    expect(cache.get(REF, now())).toBeUndefined();
    const off = new TagCache(0);
    const { state, head } = fakeHead();
    await Promise.all([off.getOrRefresh(REF, now, head), off.getOrRefresh(REF, now, head)]);
    await off.getOrRefresh(REF, now, head);
    expect(state.calls).toBe(2);
  });
});
