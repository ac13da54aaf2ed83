import type { Verdict } from '../verdict/index.js';

/** Where a stored verdict came from. */
export type VerdictSource = 'push' | 'request' | 'recheck';

/** A verdict is valid only for one digest under one trust configuration (policy + store contents). */
export interface CacheKey {
  registry: string;
  repository: string;
  digest: string;
  /** Fingerprint of the trust policy and trust store contents. */
  fingerprint: string;
}

export interface CachedVerdict {
  key: CacheKey;
  verdict: Verdict;
  source: VerdictSource;
  /** RFC 3339. */
  storedAt: string;
}

export interface DuePage {
  entries: CachedVerdict[];
  /** Pass back to continue the listing in the next run; absent when done. */
  continuation?: string;
}

/**
 * Verdict cache tiers (memory, Table Storage) share this port. Only definitive verdicts are stored.
 * A cache failure is logged by the implementation and never changes a decision: get → miss, put → no-op.
 */
export interface ResultCache {
  /** Returns the entry unless it is missing or expired at `at`. */
  get(key: CacheKey, at: Date): Promise<CachedVerdict | undefined>;
  /**
   * Optional. The entry when this tier holds it in process memory, answered with no I/O and no await (the warm
   * admission path). Undefined is not a miss: it only means "ask get()".
   */
  peek?(key: CacheKey, at: Date): CachedVerdict | undefined;
  put(entry: CachedVerdict): Promise<void>;
  /** Removes one verdict (the re-check drops entries it will not renew, so they stop being due). */
  delete(key: CacheKey): Promise<void>;
  /** Removes every verdict of the digest, whatever the fingerprint (image deleted). */
  deleteDigest(registry: string, repository: string, digest: string): Promise<void>;
  /** Entries whose verdict expiresAt is before `before`, oldest first, at most `limit`. */
  listDue(before: Date, limit: number, continuation?: string): Promise<DuePage>;
}
