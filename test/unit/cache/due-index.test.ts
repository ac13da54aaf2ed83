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
function walk(index: DueIndex, before: number, limit: number): DuePosition[] {
  const all: DuePosition[] = [];
  let after: DuePosition | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const { positions, more } = index.page(before, limit, after);
    all.push(...positions);
    if (!more || positions.length === 0) break;
    after = positions.at(-1);
  }
  return all;
}

describe('DueIndex', () => {
  it('pages give exactly the live entries due before the bound, in (expiresAt, key) order, like a full scan and sort', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const index = new DueIndex();
        const model = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'add') {
            index.add(o.key, o.at);
            model.set(o.key, o.at);
          } else if (o.kind === 'remove') {
            index.remove(o.key);
            model.delete(o.key);
          } else {
            const expected = [...model].map(([key, at]) => ({ at, key })).filter((p) => p.at < o.before).sort(compareDue);
            expect(walk(index, o.before, Math.max(1, o.limit))).toEqual(expected);
            const first = index.page(o.before, o.limit);
            expect(first.positions).toEqual(expected.slice(0, o.limit));
            expect(first.more).toBe(expected.length > o.limit);
          }
        }
        expect(index.size).toBe(model.size);
      }),
      { numRuns: 400 },
    );
  });

  it('100,000 entries: a page after a continuation reads only its own items', () => {
    const index = new DueIndex();
    for (let i = 0; i < 100_000; i++) index.add(`k${i}`, (i * 7919) % 100_000);
    const first = index.page(50_000, 100);
    expect(first.positions).toHaveLength(100);
    const next = index.page(50_000, 100, first.positions.at(-1));
    expect(compareDue(next.positions[0] as DuePosition, first.positions.at(-1) as DuePosition)).toBeGreaterThan(0);
    expect(next.more).toBe(true);
  });
});
