import { describe, expect, it } from 'vitest';
import { readAhead, settle } from '../../../shared/core/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A source of 0..n-1 that records how far it was read and whether it was closed. */
function source(n: number, failAt?: number) {
  const state = { read: 0, closed: false };
  async function* items() {
    try {
      for (let i = 0; i < n; i++) {
        await sleep(1);
        if (i === failAt) throw new Error(`source failed at ${i}`);
        state.read++;
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, items: items() };
}

describe('readAhead', () => {
  it('yields in source order while the started work completes in any order, with at most `window` items ahead', async () => {
    const { items } = source(12);
    let running = 0;
    let most = 0;
    const finished: number[] = [];
    const start = (i: number) =>
      settle(async () => {
        running++;
        most = Math.max(most, running);
        await sleep(((i * 7) % 5) * 3);
        running--;
        finished.push(i);
        return i;
      });
    const seen: number[] = [];
    for await (const started of readAhead(items, 3, start)) {
      const result = await started;
      seen.push(result.ok ? result.value : -1);
    }
    expect(seen).toEqual([...Array(12).keys()]);
    expect(finished).not.toEqual(seen); // work really overlapped and finished out of order
    expect(most).toBeLessThanOrEqual(4); // `window` queued plus the one the consumer holds
    expect(most).toBeGreaterThan(1);
  });

  it('closes the source when the consumer stops, without reading it to the end', async () => {
    const { state, items } = source(100);
    for await (const i of readAhead(items, 4, (x) => x)) if (i === 2) break;
    expect(state.closed).toBe(true);
    expect(state.read).toBeLessThanOrEqual(3 + 4 + 1);
  });

  it('rethrows a source failure after the items read before it', async () => {
    const { items } = source(5, 3);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const i of readAhead(items, 2, (x) => x)) seen.push(i);
      })(),
    ).rejects.toThrow('source failed at 3');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('settle turns a synchronous throw or a rejection into a value', async () => {
    expect(await settle(() => Promise.reject(new Error('no')))).toMatchObject({ ok: false, error: new Error('no') });
    expect(await settle(() => { throw new Error('sync'); })).toMatchObject({ ok: false, error: new Error('sync') });
    expect(await settle(async () => 7)).toEqual({ ok: true, value: 7 });
  });
});
