import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDue, type DuePosition } from '../../../shared/cache/due-cursor.js';
import { DueIndex } from '../../../shared/cache/due-index.js';

type Op = { kind: 'add'; key: string; at: number } | { kind: 'remove'; key: string } | { kind: 'page'; before: number; limit: number };

const keys = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), key: keys, at: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ kind: fc.constant('remove' as const), key: keys }),
  fc.record({ kind: fc.constant('page' as const), before: fc.integer({ min: 0, max: 25 }), limit: fc.integer({ min: 0, max: 4 }) }),
);

/** Pages through the index the way listDue does, resuming after the last position of each page. */
function walk(index: DueIndex<string>, before: number, limit: number): DuePosition[] {
  const all: DuePosition[] = [];
  let after: DuePosition | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const { positions, more } = index.page(before, limit, after);
    for (const { at, key, value } of positions) {
      expect(value).toBe(`value of ${key}`); // each item carries the value added with it
      all.push({ at, key });
    }
    if (!more || positions.length === 0) break;
    after = positions.at(-1);
  }
  return all;
}

/** Chunks never pass the maximum, and only a lone chunk is under the minimum: what bounds the work of one call. */
function expectBoundedChunks(index: DueIndex<string>, max: number, min: number): void {
  const lengths = index.chunkLengths();
  for (const length of lengths) {
    expect(length).toBeLessThanOrEqual(max);
    if (lengths.length > 1) expect(length).toBeGreaterThanOrEqual(min);
  }
  expect(lengths.reduce((a, b) => a + b, 0)).toBe(index.size);
}

describe('DueIndex', () => {
  it.each([
    ['default chunks', 1024, 64, keys, 60],
    ['tiny chunks (every split and join happens)', 4, 2, fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), 120],
  ])('pages give exactly the live entries due before the bound, in (expiresAt, key) order, like a full scan and sort (%s)', (_name, max, min, keyArb, maxOps) => {
    const anyOp: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), key: keyArb, at: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('add' as const), key: keyArb, at: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('remove' as const), key: keyArb }),
      fc.record({ kind: fc.constant('page' as const), before: fc.integer({ min: 0, max: 25 }), limit: fc.integer({ min: 0, max: 4 }) }),
    );
    fc.assert(
      fc.property(fc.array(max === 1024 ? op : anyOp, { maxLength: maxOps, size: 'max' }), (ops) => {
        const index = new DueIndex<string>(max, min);
        const model = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'add') {
            const old = model.get(o.key); // the memory tier removes an entry's old item before adding its new one
            if (old !== undefined) expect(index.remove(o.key, old)).toBe(true);
            index.add(o.key, o.at, `value of ${o.key}`);
            model.set(o.key, o.at);
          } else if (o.kind === 'remove') {
            const old = model.get(o.key);
            expect(index.remove(o.key, old ?? 0)).toBe(old !== undefined);
            if (old !== undefined) expect(index.remove(o.key, old)).toBe(false); // gone means gone
            model.delete(o.key);
          } else {
            const expected = [...model].map(([key, at]) => ({ at, key })).filter((p) => p.at < o.before).sort(compareDue);
            expect(walk(index, o.before, Math.max(1, o.limit))).toEqual(expected);
            const first = index.page(o.before, o.limit);
            expect(first.positions.map(({ at, key }) => ({ at, key }))).toEqual(expected.slice(0, o.limit));
            expect(first.more).toBe(expected.length > o.limit);
          }
          expectBoundedChunks(index, max, min);
        }
        expect(index.size).toBe(model.size);
      }),
      { numRuns: 400 },
    );
  });

  it('100,000 entries: a page after a continuation reads only its own items', () => {
    const index = new DueIndex<string>();
    for (let i = 0; i < 100_000; i++) index.add(`k${i}`, (i * 7919) % 100_000, `value of k${i}`);
    const first = index.page(50_000, 100);
    expect(first.positions).toHaveLength(100);
    const next = index.page(50_000, 100, first.positions.at(-1));
    expect(compareDue(next.positions[0] as DuePosition, first.positions.at(-1) as DuePosition)).toBeGreaterThan(0);
    expect(next.positions[0]?.value).toBe(`value of ${next.positions[0]?.key}`);
    expect(next.more).toBe(true);
  });

  it('100,000 adds in random order, then removals of most: chunks stay bounded and the order stays whole', () => {
    const index = new DueIndex<string>();
    const n = 100_000;
    for (let i = 0; i < n; i++) index.add(`k${i}`, (i * 7919) % 1000, `value of k${i}`);
    expectBoundedChunks(index, 1024, 64);
    for (let i = 0; i < n; i++) if (i % 10 !== 0) expect(index.remove(`k${i}`, (i * 7919) % 1000)).toBe(true);
    expectBoundedChunks(index, 1024, 64);
    const all = walk(index, Number.POSITIVE_INFINITY, 5_000);
    expect(all).toHaveLength(n / 10);
    for (let i = 1; i < all.length; i++) expect(compareDue(all[i - 1] as DuePosition, all[i] as DuePosition)).toBeLessThan(0);
  });
});
