import { compareDue, type DuePosition } from './due-cursor.js';

interface Item extends DuePosition {
  /** Which add() made it: an item is live only while its id still has this generation. */
  generation: number;
}

/**
 * The memory tier's entries in expiry order, so listDue reads one page without scanning or sorting the tier.
 * A sorted array searched by bisection; adds are buffered and merged on the next query (puts stay O(1)),
 * removals are lazy (an item whose id moved on is skipped and compacted away once they pile up).
 */
export class DueIndex {
  private sorted: Item[] = [];
  private pending: Item[] = [];
  private readonly live = new Map<string, number>();
  private generation = 0;
  private dead = 0;

  add(key: string, at: number): void {
    if (this.live.has(key)) this.dead++;
    const generation = ++this.generation;
    this.live.set(key, generation);
    this.pending.push({ at, key, generation });
  }

  remove(key: string): void {
    if (this.live.delete(key)) this.dead++;
  }

  get size(): number {
    return this.live.size;
  }

  /**
   * Up to `limit` keys due before `beforeMs`, strictly after `after`, in (expiresAt, key) order; `more` tells whether
   * another due key follows the page.
   */
  page(beforeMs: number, limit: number, after?: DuePosition): { positions: DuePosition[]; more: boolean } {
    this.settle();
    const positions: DuePosition[] = [];
    let i = after === undefined ? 0 : this.firstAfter(after);
    for (; i < this.sorted.length; i++) {
      const item = this.sorted[i] as Item;
      if (item.at >= beforeMs) break;
      if (this.live.get(item.key) !== item.generation) continue;
      if (positions.length === Math.max(0, limit)) return { positions, more: true };
      positions.push({ at: item.at, key: item.key });
    }
    return { positions, more: false };
  }

  /** Merges buffered adds and drops dead items once they are a third of the array. */
  private settle(): void {
    if (this.pending.length > 0) {
      this.pending.sort(compareDue);
      this.sorted = merge(this.sorted, this.pending);
      this.pending = [];
    }
    if (this.dead > 0 && this.dead * 3 > this.sorted.length) {
      this.sorted = this.sorted.filter((item) => this.live.get(item.key) === item.generation);
      this.dead = 0;
    }
  }

  /** Index of the first item strictly after `position`. */
  private firstAfter(position: DuePosition): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareDue(this.sorted[mid] as Item, position) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function merge(a: Item[], b: Item[]): Item[] {
  if (a.length === 0) return b;
  const out: Item[] = new Array<Item>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compareDue(a[i] as Item, b[j] as Item) <= 0 ? (a[i++] as Item) : (b[j++] as Item);
  while (i < a.length) out[k++] = a[i++] as Item;
  while (j < b.length) out[k++] = b[j++] as Item;
  return out;
}
