import type { DuePosition } from './due-cursor.js';

/** Items per chunk before it splits in two: an add or remove moves at most this many array slots. */
const CHUNK_MAX = 1024;
/** A chunk this small joins its neighbour, so removals cannot leave a long tail of tiny chunks. */
const CHUNK_MIN = 64;

/** A sorted run of the index, as parallel arrays (a number array stays unboxed; no object per item). */
interface Chunk<T> {
  ats: number[];
  keys: string[];
  values: T[];
}

/** One item of a page: its position and the value added with it. */
export interface DueItem<T> extends DuePosition {
  value: T;
}

/**
 * The memory tier's entries in (expiresAt, key) order, so listDue reads one page without scanning or sorting the tier.
 * A list of sorted chunks of bounded size: an add or a remove finds its chunk by bisection and moves at most
 * CHUNK_MAX items (a split or a join moves one chunk, the chunk list is ~n / 512 long), so no single call — add,
 * remove or page — does work in proportion to the whole tier. Removals are eager: every item is live. The caller
 * keeps each key at most once and names its expiresAt to remove it (the memory tier has both on its entry), so the
 * index needs no map of its own; each item carries a value (the entry), so a page needs no lookup either.
 */
export class DueIndex<T> {
  private chunks: Array<Chunk<T>> = [];
  private count = 0;

  /** The chunk bounds are parameters only so tests can make every split and join happen with a few items. */
  constructor(
    private readonly chunkMax = CHUNK_MAX,
    private readonly chunkMin = CHUNK_MIN,
  ) {}

  /** Adds `key` (not in the index) due at `at`. */
  add(key: string, at: number, value: T): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push({ ats: [at], keys: [key], values: [value] });
      return;
    }
    const c = Math.min(this.chunkAfter(at, key), this.chunks.length - 1);
    const chunk = this.chunks[c] as Chunk<T>;
    const i = indexAfter(chunk, at, key);
    chunk.ats.splice(i, 0, at);
    chunk.keys.splice(i, 0, key);
    chunk.values.splice(i, 0, value);
    if (chunk.ats.length > this.chunkMax) this.split(c);
  }

  /** Removes `key`, added due at `at`; false when the index does not hold it. */
  remove(key: string, at: number): boolean {
    const c = this.chunkAtOrAfter(at, key);
    const chunk = this.chunks[c];
    const i = chunk === undefined ? -1 : indexAtOrAfter(chunk, at, key);
    if (chunk === undefined || chunk.keys[i] !== key || chunk.ats[i] !== at) return false;
    this.count--;
    chunk.ats.splice(i, 1);
    chunk.keys.splice(i, 1);
    chunk.values.splice(i, 1);
    if (chunk.ats.length === 0) this.chunks.splice(c, 1);
    else if (chunk.ats.length < this.chunkMin && this.chunks.length > 1) this.join(c);
    return true;
  }

  get size(): number {
    return this.count;
  }

  /** Lengths of the sorted chunks, in order (what bounds the work of one call; for tests). */
  chunkLengths(): number[] {
    return this.chunks.map((chunk) => chunk.ats.length);
  }

  /**
   * Up to `limit` keys due before `beforeMs`, strictly after `after`, in (expiresAt, key) order; `more` tells whether
   * another due key follows the page.
   */
  page(beforeMs: number, limit: number, after?: DuePosition): { positions: Array<DueItem<T>>; more: boolean } {
    const positions: Array<DueItem<T>> = [];
    let c = after === undefined ? 0 : this.chunkAfter(after.at, after.key);
    let i = after === undefined || c >= this.chunks.length ? 0 : indexAfter(this.chunks[c] as Chunk<T>, after.at, after.key);
    for (; c < this.chunks.length; c++, i = 0) {
      const { ats, keys, values } = this.chunks[c] as Chunk<T>;
      for (; i < ats.length; i++) {
        const at = ats[i] as number;
        if (at >= beforeMs) return { positions, more: false };
        if (positions.length === Math.max(0, limit)) return { positions, more: true };
        positions.push({ at, key: keys[i] as string, value: values[i] as T });
      }
    }
    return { positions, more: false };
  }

  private split(c: number): void {
    const { ats, keys, values } = this.chunks[c] as Chunk<T>;
    const half = ats.length >>> 1;
    this.chunks.splice(
      c,
      1,
      { ats: ats.slice(0, half), keys: keys.slice(0, half), values: values.slice(0, half) },
      { ats: ats.slice(half), keys: keys.slice(half), values: values.slice(half) },
    );
  }

  /** Joins chunk `c` with a neighbour (splitting again if the two are too many together). */
  private join(c: number): void {
    const first = c + 1 < this.chunks.length ? c : c - 1;
    const a = this.chunks[first] as Chunk<T>;
    const b = this.chunks[first + 1] as Chunk<T>;
    this.chunks.splice(first, 2, { ats: a.ats.concat(b.ats), keys: a.keys.concat(b.keys), values: a.values.concat(b.values) });
    if ((this.chunks[first] as Chunk<T>).ats.length > this.chunkMax) this.split(first);
  }

  /** Index of the first chunk whose last item is strictly after (at, key); chunks.length when none is. */
  private chunkAfter(at: number, key: string): number {
    return this.bisectChunks(at, key, 0);
  }

  /** Index of the first chunk whose last item is at or after (at, key). */
  private chunkAtOrAfter(at: number, key: string): number {
    return this.bisectChunks(at, key, 1);
  }

  /** First chunk whose last item compares above (at, key) — or equal too, when `equalCounts` is 1. */
  private bisectChunks(at: number, key: string, equalCounts: 0 | 1): number {
    let low = 0;
    let high = this.chunks.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const { ats, keys } = this.chunks[mid] as Chunk<T>;
      const n = ats.length - 1;
      if (compare(ats[n] as number, keys[n] as string, at, key) + equalCounts > 0) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

/** (expiresAt, key) order, the order of compareDue, as -1, 0 or 1. */
function compare(atA: number, keyA: string, atB: number, keyB: string): number {
  if (atA !== atB) return atA < atB ? -1 : 1;
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}

/** Index of the first item of `chunk` strictly after (at, key). */
function indexAfter<T>(chunk: Chunk<T>, at: number, key: string): number {
  let low = 0;
  let high = chunk.ats.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(chunk.ats[mid] as number, chunk.keys[mid] as string, at, key) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index of the first item of `chunk` at or after (at, key). */
function indexAtOrAfter<T>(chunk: Chunk<T>, at: number, key: string): number {
  let low = 0;
  let high = chunk.ats.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(chunk.ats[mid] as number, chunk.keys[mid] as string, at, key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
