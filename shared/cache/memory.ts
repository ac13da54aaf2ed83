import { systemClock } from '../core/index.js';
import type { Clock } from '../core/index.js';
import type { CachedVerdict, CacheKey, DuePage, ResultCache } from './port.js';
import { digestScope, toMemoryKey } from './keys.js';
import { expiresAtMs, isLive, isStorable, replaces } from './rules.js';
import { compareDue, decodeContinuation, encodeContinuation } from './due-cursor.js';

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
 * and every reader gets its own copy, so no caller can change what the cache holds. Parsing costs a few µs per hit.
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
    const id = toMemoryKey(key);
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (at.getTime() >= entry.expiresAtMs) {
      this.remove(id, entry.key);
      return undefined;
    }
    this.entries.delete(id);
    this.entries.set(id, entry);
    return materialize(entry);
  }

  async put(entry: CachedVerdict): Promise<void> {
    if (!isStorable(entry) || !isLive(entry, this.clock.now())) return;
    const id = toMemoryKey(entry.key);
    const existing = this.entries.get(id);
    if (existing !== undefined && !replaces(entry, existing.verifiedAt)) return;
    const verdictJson = JSON.stringify(entry.verdict);
    if (verdictJson.length > this.maxEntryBytes) {
      if (existing !== undefined) this.remove(id, existing.key);
      return;
    }
    if (existing !== undefined) this.remove(id, existing.key);
    this.entries.set(id, {
      key: { ...entry.key },
      source: entry.source,
      storedAt: entry.storedAt,
      verifiedAt: entry.verdict.verifiedAt,
      expiresAtMs: expiresAtMs(entry),
      verdictJson,
    });
    this.bytes += verdictJson.length;
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
    for (const id of this.byDigest.get(scope) ?? []) {
      const entry = this.entries.get(id);
      if (entry !== undefined) this.bytes -= entry.verdictJson.length;
      this.entries.delete(id);
    }
    this.byDigest.delete(scope);
  }

  /** Scans every entry (the memory tier is small); ordered by (expiresAt, key). */
  async listDue(before: Date, limit: number, continuation?: string): Promise<DuePage> {
    const after = decodeContinuation(continuation);
    const due = [...this.entries]
      .map(([id, entry]) => ({ position: { at: entry.expiresAtMs, key: id }, entry }))
      .filter(({ position }) => position.at < before.getTime() && (after === undefined || compareDue(position, after) > 0))
      .sort((a, b) => compareDue(a.position, b.position));
    const page = due.slice(0, Math.max(0, limit));
    const last = page.at(-1);
    return {
      entries: page.map(({ entry }) => materialize(entry)),
      ...(due.length > page.length && last !== undefined ? { continuation: encodeContinuation(last.position) } : {}),
    };
  }

  private remove(id: string, key: CacheKey): void {
    const entry = this.entries.get(id);
    if (entry !== undefined) this.bytes -= entry.verdictJson.length;
    this.entries.delete(id);
    const scope = digestScope(key.registry, key.repository, key.digest);
    const ids = this.byDigest.get(scope);
    ids?.delete(id);
    if (ids !== undefined && ids.size === 0) this.byDigest.delete(scope);
  }
}

function materialize(entry: StoredEntry): CachedVerdict {
  return { key: { ...entry.key }, source: entry.source, storedAt: entry.storedAt, verdict: JSON.parse(entry.verdictJson) as CachedVerdict['verdict'] };
}
