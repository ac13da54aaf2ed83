import { systemClock } from '../core/index.js';
import type { Clock } from '../core/index.js';
import type { CachedVerdict, CacheKey, DuePage, ResultCache } from './port.js';
import { sameKey } from './keys.js';
import { expiresAtMs, isLive, isStorable, replaces } from './rules.js';
import { decodeContinuation, encodeContinuation } from './due-cursor.js';
import { DueIndex } from './due-index.js';
import { FrozenVerdicts } from './frozen-verdicts.js';
import { RecencyList, type Linked } from './recency.js';

export interface MemoryResultCacheOptions {
  /** Required. Most entries kept; the least recently used one is evicted past it. */
  maxEntries: number;
  /** Optional. Most bytes of verdict JSON kept; least recently used entries are evicted past it. Default: 64 MiB. */
  maxBytes?: number;
  /** Optional. A verdict whose JSON is larger is not kept in memory (the durable tier still may). Default: 256 KiB. */
  maxEntryBytes?: number;
  /** Optional. Only used to drop expired entries on put. Default: the system clock. */
  clock?: Clock;
}

export const DEFAULT_MEMORY_CACHE_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MEMORY_CACHE_MAX_ENTRY_BYTES = 256 * 1024;

/**
 * A verdict kept as a deep-frozen private copy whose parts equal to other verdicts' are shared (frozen-verdicts.ts):
 * a hit or a listing returns it as it is, with no parse and no copy, and no caller can change it. Only what differs
 * between verdicts is held per entry, so it is smaller than the verdict's JSON text (the memory goal).
 */
interface StoredEntry extends Linked<StoredEntry> {
  /**
   * The entry's key in the due index, the tie-breaker of listDue's order: the put's sequence number in fixed-width
   * base 36 (text order = put order). Short on purpose: the joined cache key was ~190 bytes per entry.
   */
  dueKey: string;
  key: CacheKey;
  source: CachedVerdict['source'];
  storedAt: string;
  expiresAtMs: number;
  verdict: CachedVerdict['verdict'];
  /** Length of the verdict's JSON text: what maxBytes and maxEntryBytes bound (an upper bound of what it holds). */
  jsonChars: number;
}

/** Base-36 digits of a due key: 36^11 > 2^53, so every put count fits and text order is number order. */
const DUE_KEY_CHARS = 11;

/** One digest's entries (one per repository and fingerprint): almost always one, then held without an array. */
type Slot = StoredEntry | StoredEntry[];

/**
 * The in-process tier: an LRU (a linked list through the entries) bounded by entry count *and* bytes of verdict
 * JSON (a hostile signature set once made one verdict 3 MB). Entries are found by digest — a hit hashes the
 * caller's digest string instead of building and hashing a joined key — and deleteDigest reads the same slot.
 */
export class MemoryResultCache implements ResultCache {
  private readonly slots = new Map<string, Slot>();
  private readonly recency = new RecencyList<StoredEntry>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxEntryBytes: number;
  private readonly clock: Clock;
  /** Expiry order for listDue (each item carries its entry), and the stored form of verdicts. */
  private readonly due = new DueIndex<StoredEntry>();
  private readonly frozen = new FrozenVerdicts();
  private count = 0;
  private bytes = 0;
  private puts = 0;

  constructor(options: MemoryResultCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError('MemoryResultCache maxEntries must be a positive integer');
    }
    this.maxEntries = options.maxEntries;
    this.maxBytes = options.maxBytes ?? DEFAULT_MEMORY_CACHE_MAX_BYTES;
    this.maxEntryBytes = Math.min(options.maxEntryBytes ?? DEFAULT_MEMORY_CACHE_MAX_ENTRY_BYTES, this.maxBytes);
    this.clock = options.clock ?? systemClock;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes of verdict JSON held (UTF-16 code units: an upper bound of what the shared, frozen form keeps). */
  get sizeBytes(): number {
    return this.bytes;
  }

  async get(key: CacheKey, at: Date): Promise<CachedVerdict | undefined> {
    return this.peek(key, at);
  }

  peek(key: CacheKey, at: Date): CachedVerdict | undefined {
    const entry = this.find(key);
    if (entry === undefined) return undefined;
    if (at.getTime() >= entry.expiresAtMs) {
      this.remove(entry);
      return undefined;
    }
    this.recency.touch(entry);
    return materialize(entry);
  }

  async put(entry: CachedVerdict): Promise<void> {
    if (!isStorable(entry) || !isLive(entry, this.clock.now())) return;
    const existing = this.find(entry.key);
    if (existing !== undefined && !replaces(entry, existing.verdict.verifiedAt)) return;
    const verdictJson = JSON.stringify(entry.verdict);
    if (existing !== undefined) this.remove(existing);
    if (verdictJson.length > this.maxEntryBytes) return;
    const verdict = this.frozen.freeze(verdictJson);
    const { registry, repository, digest, fingerprint } = entry.key;
    const key = Object.freeze({ registry: this.frozen.shareString(registry), repository: this.frozen.shareString(repository), digest: this.frozen.shareString(digest), fingerprint: this.frozen.shareString(fingerprint) });
    const stored: StoredEntry = {
      dueKey: (this.puts++).toString(36).padStart(DUE_KEY_CHARS, '0'),
      key,
      source: entry.source,
      storedAt: this.frozen.shareString(entry.storedAt),
      expiresAtMs: expiresAtMs(entry),
      verdict,
      jsonChars: verdictJson.length,
      older: undefined,
      newer: undefined,
    };
    const slot = this.slots.get(key.digest);
    if (Array.isArray(slot)) slot.push(stored);
    else this.slots.set(key.digest, slot === undefined ? stored : [slot, stored]);
    this.recency.push(stored);
    this.due.add(stored.dueKey, stored.expiresAtMs, stored);
    this.count++;
    this.bytes += stored.jsonChars;
    for (let oldest = this.recency.oldest; oldest !== undefined && (this.count > this.maxEntries || this.bytes > this.maxBytes); oldest = this.recency.oldest) {
      this.remove(oldest);
    }
  }

  async delete(key: CacheKey): Promise<void> {
    const entry = this.find(key);
    if (entry !== undefined) this.remove(entry);
  }

  async deleteDigest(registry: string, repository: string, digest: string): Promise<void> {
    const slot = this.slots.get(digest);
    const entries = Array.isArray(slot) ? [...slot] : slot === undefined ? [] : [slot]; // remove() edits the slot
    for (const entry of entries) if (entry.key.registry === registry && entry.key.repository === repository) this.remove(entry);
  }

  /** Ordered by (expiresAt, key) through the due index: one page costs its own size, not the tier's. */
  async listDue(before: Date, limit: number, continuation?: string): Promise<DuePage> {
    const { positions, more } = this.due.page(before.getTime(), limit, decodeContinuation(continuation));
    const last = positions.at(-1);
    return {
      entries: positions.map((position) => materialize(position.value)),
      ...(more && last !== undefined ? { continuation: encodeContinuation({ at: last.at, key: last.key }) } : {}),
    };
  }

  private find(key: CacheKey): StoredEntry | undefined {
    const slot = this.slots.get(key.digest);
    if (slot === undefined) return undefined;
    if (!Array.isArray(slot)) return sameKey(slot.key, key) ? slot : undefined;
    return slot.find((entry) => sameKey(entry.key, key));
  }

  private remove(entry: StoredEntry): void {
    const slot = this.slots.get(entry.key.digest);
    if (slot === entry) {
      this.slots.delete(entry.key.digest);
    } else {
      const at = Array.isArray(slot) ? slot.indexOf(entry) : -1;
      if (at < 0) return; // not (or no longer) held
      (slot as StoredEntry[]).splice(at, 1);
      if ((slot as StoredEntry[]).length === 1) this.slots.set(entry.key.digest, (slot as StoredEntry[])[0] as StoredEntry);
    }
    this.recency.unlink(entry);
    this.due.remove(entry.dueKey, entry.expiresAtMs);
    this.count--;
    this.bytes -= entry.jsonChars;
  }
}

/** What a hit or a listing returns: the caller's own key copy, the stored (frozen) verdict itself. */
function materialize(entry: StoredEntry): CachedVerdict {
  return { key: { ...entry.key }, source: entry.source, storedAt: entry.storedAt, verdict: entry.verdict };
}
