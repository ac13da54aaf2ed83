import type { DuePosition } from './due-cursor.js';

/** Items per chunk before it splits in two: an add or remove moves at most this many array slots. */
const CHUNK_MAX = 1024;
/** A chunk this small joins its neighbour, so removals cannot leave a long tail of tiny chunks. */
const CHUNK_MIN = 64;

/** A sorted run of the index, as two parallel arrays (a number array stays unboxed; no object per item). */
interface Chunk {
  ats: number[];
  keys: string[];
}

/**
 * The memory tier's entries in (expiresAt, key) order, so listDue reads one page without scanning or sorting the tier.
 * A list of sorted chunks of bounded size: an add or a remove finds its chunk by bisection and moves at most
 * CHUNK_MAX items (a split or a join moves one chunk, the chunk list is ~n / 512 long), so no single call — add,
 * remove or page — does work in proportion to the whole tier. Removals are eager: every item is live.
 */
export class DueIndex {
  private chunks: Chunk[] = [];
  /** key → its expiresAt: where to find the key's item when it is removed or re-added. */
  private readonly live = new Map<string, number>();

  /** The chunk bounds are parameters only so tests can make every split and join happen with a few items. */
  constructor(
    private readonly chunkMax = CHUNK_MAX,
    private readonly chunkMin = CHUNK_MIN,
  ) {}

  add(key: string, at: number): void {
    this.remove(key);
    this.live.set(key, at);
    if (this.chunks.length === 0) {
      this.chunks.push({ ats: [at], keys: [key] });
      return;
    }
    const c = Math.min(this.chunkAfter(at, key), this.chunks.length - 1);
    const chunk = this.chunks[c] as Chunk;
    const i = indexAfter(chunk, at, key);
    chunk.ats.splice(i, 0, at);
    chunk.keys.splice(i, 0, key);
    if (chunk.ats.length > this.chunkMax) this.split(c);
  }

  remove(key: string): void {
    const at = this.live.get(key);
    if (at === undefined) return;
    this.live.delete(key);
    const c = this.chunkAtOrAfter(at, key);
    const chunk = this.chunks[c];
    const i = chunk === undefined ? -1 : indexAtOrAfter(chunk, at, key);
    if (chunk === undefined || chunk.keys[i] !== key) return; // cannot happen: every live key has its item
    chunk.ats.splice(i, 1);
    chunk.keys.splice(i, 1);
    if (chunk.ats.length === 0) this.chunks.splice(c, 1);
    else if (chunk.ats.length < this.chunkMin && this.chunks.length > 1) this.join(c);
  }

  get size(): number {
    return this.live.size;
  }

  /** Lengths of the sorted chunks, in order (what bounds the work of one call; for tests). */
  chunkLengths(): number[] {
    return this.chunks.map((chunk) => chunk.ats.length);
  }

  /**
   * Up to `limit` keys due before `beforeMs`, strictly after `after`, in (expiresAt, key) order; `more` tells whether
   * another due key follows the page.
   */
  page(beforeMs: number, limit: number, after?: DuePosition): { positions: DuePosition[]; more: boolean } {
    const positions: DuePosition[] = [];
    let c = after === undefined ? 0 : this.chunkAfter(after.at, after.key);
    let i = after === undefined || c >= this.chunks.length ? 0 : indexAfter(this.chunks[c] as Chunk, after.at, after.key);
    for (; c < this.chunks.length; c++, i = 0) {
      const { ats, keys } = this.chunks[c] as Chunk;
      for (; i < ats.length; i++) {
        const at = ats[i] as number;
        if (at >= beforeMs) return { positions, more: false };
        if (positions.length === Math.max(0, limit)) return { positions, more: true };
        positions.push({ at, key: keys[i] as string });
      }
    }
    return { positions, more: false };
  }

  private split(c: number): void {
    const { ats, keys } = this.chunks[c] as Chunk;
    const half = ats.length >>> 1;
    this.chunks.splice(c, 1, { ats: ats.slice(0, half), keys: keys.slice(0, half) }, { ats: ats.slice(half), keys: keys.slice(half) });
  }

  /** Joins chunk `c` with a neighbour (splitting again if the two are too many together). */
  private join(c: number): void {
    const first = c + 1 < this.chunks.length ? c : c - 1;
    const a = this.chunks[first] as Chunk;
    const b = this.chunks[first + 1] as Chunk;
    this.chunks.splice(first, 2, { ats: a.ats.concat(b.ats), keys: a.keys.concat(b.keys) });
    if ((this.chunks[first] as Chunk).ats.length > this.chunkMax) this.split(first);
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
      const { ats, keys } = this.chunks[mid] as Chunk;
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
function indexAfter(chunk: Chunk, at: number, key: string): number {
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
function indexAtOrAfter(chunk: Chunk, at: number, key: string): number {
  let low = 0;
  let high = chunk.ats.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(chunk.ats[mid] as number, chunk.keys[mid] as string, at, key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
