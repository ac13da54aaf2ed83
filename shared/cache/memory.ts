import { systemClock } from '../core/index.js';
import type { Clock } from '../core/index.js';
import type { CachedVerdict, CacheKey, DuePage, ResultCache } from './port.js';
import { digestScope, toMemoryKey } from './keys.js';
import { expiresAtMs, isLive, isStorable, replaces } from './rules.js';
import { decodeContinuation, encodeContinuation } from './due-cursor.js';
import { DueIndex } from './due-index.js';
import { FrozenVerdicts } from './frozen-verdicts.js';

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
 * A verdict kept as its JSON text: about 1.5 KB instead of ~4 KB of objects (10k verdicts must fit the memory goal),
 * and no caller can change what the cache holds: a hot entry (hit twice recently) is served as a deep-frozen verdict
 * parsed once, other hits and listDue get private copies.
 */
interface StoredEntry {
  key: CacheKey;
  source: CachedVerdict['source'];
  storedAt: string;
  verifiedAt: string;
  expiresAtMs: number;
  verdictJson: string;
}

/**
 * The in-process tier: an LRU over a Map (insertion order = recency) bounded by entry count *and* bytes of verdict
 * JSON (a hostile signature set once made one verdict 3 MB), with a per-digest index so deleteDigest does not scan.
 */
export class MemoryResultCache implements ResultCache {
  private readonly entries = new Map<string, StoredEntry>();
  /** digest scope → memory keys of that digest's verdicts (one per fingerprint). */
  private readonly byDigest = new Map<string, Set<string>>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxEntryBytes: number;
  private readonly clock: Clock;
  /** Expiry order for listDue, and parsed frozen verdicts of hot entries (hits without JSON.parse). */
  private readonly due = new DueIndex();
  private readonly frozen = new FrozenVerdicts();
  private bytes = 0;

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
    return this.entries.size;
  }

  /** Bytes of verdict JSON held (UTF-16 code units, the order of what V8 keeps). */
  get sizeBytes(): number {
    return this.bytes;
  }

  async get(key: CacheKey, at: Date): Promise<CachedVerdict | undefined> {
    return this.peek(key, at);
  }

  peek(key: CacheKey, at: Date): CachedVerdict | undefined {
    const id = toMemoryKey(key);
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (at.getTime() >= entry.expiresAtMs) {
      this.remove(id, entry.key);
      return undefined;
    }
    this.entries.delete(id);
    this.entries.set(id, entry);
    return { key: { ...entry.key }, source: entry.source, storedAt: entry.storedAt, verdict: this.frozen.get(id, entry.verdictJson) };
  }

  async put(entry: CachedVerdict): Promise<void> {
    if (!isStorable(entry) || !isLive(entry, this.clock.now())) return;
    const id = toMemoryKey(entry.key);
    const existing = this.entries.get(id);
    if (existing !== undefined && !replaces(entry, existing.verifiedAt)) return;
    const verdictJson = JSON.stringify(entry.verdict);
    if (existing !== undefined) this.remove(id, existing.key);
    if (verdictJson.length > this.maxEntryBytes) return;
    this.entries.set(id, {
      key: { ...entry.key },
      source: entry.source,
      storedAt: entry.storedAt,
      verifiedAt: entry.verdict.verifiedAt,
      expiresAtMs: expiresAtMs(entry),
      verdictJson,
    });
    this.bytes += verdictJson.length;
    this.due.add(id, expiresAtMs(entry));
    const scope = digestScope(entry.key.registry, entry.key.repository, entry.key.digest);
    let ids = this.byDigest.get(scope);
    if (ids === undefined) this.byDigest.set(scope, (ids = new Set()));
    ids.add(id);
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.entries().next().value;
      if (oldest === undefined) break;
      this.remove(oldest[0], oldest[1].key);
    }
  }

  async delete(key: CacheKey): Promise<void> {
    this.remove(toMemoryKey(key), key);
  }

  async deleteDigest(registry: string, repository: string, digest: string): Promise<void> {
    const scope = digestScope(registry, repository, digest);
    for (const id of this.byDigest.get(scope) ?? []) this.forgetId(id);
    this.byDigest.delete(scope);
  }

  /** Ordered by (expiresAt, key) through the due index: one page costs its own size, not the tier's. */
  async listDue(before: Date, limit: number, continuation?: string): Promise<DuePage> {
    const { positions, more } = this.due.page(before.getTime(), limit, decodeContinuation(continuation));
    const last = positions.at(-1);
    return {
      entries: positions.map((position) => materialize(this.entries.get(position.key) as StoredEntry)),
      ...(more && last !== undefined ? { continuation: encodeContinuation(last) } : {}),
    };
  }

  private forgetId(id: string): void {
    const entry = this.entries.get(id);
    if (entry !== undefined) this.bytes -= entry.verdictJson.length;
    this.entries.delete(id);
    this.due.remove(id);
    this.frozen.delete(id);
  }

  private remove(id: string, key: CacheKey): void {
    this.forgetId(id);
    const scope = digestScope(key.registry, key.repository, key.digest);
    const ids = this.byDigest.get(scope);
    ids?.delete(id);
    if (ids !== undefined && ids.size === 0) this.byDigest.delete(scope);
  }
}

function materialize(entry: StoredEntry): CachedVerdict {
  return { key: { ...entry.key }, source: entry.source, storedAt: entry.storedAt, verdict: JSON.parse(entry.verdictJson) as CachedVerdict['verdict'] };
}
