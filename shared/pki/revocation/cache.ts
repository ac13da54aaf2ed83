import type { Clock } from '../../core/index.js';

/**
 * A bounded map whose entries expire at their own instant (the OCSP/CRL nextUpdate, spec §11.3 "cache until
 * nextUpdate"). Oldest entries are evicted first when full.
 */
export class ExpiringCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries: number,
    /** Entries are dropped this long before their expiry (at most half their remaining life when stored). */
    private readonly refreshBeforeMs = 0,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.clock.now().getTime() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores `value` until shortly before `expiresAt`; an answer without a future expiry is not cached. */
  set(key: string, value: T, expiresAt: Date | undefined): void {
    const now = this.clock.now().getTime();
    if (!expiresAt || expiresAt.getTime() <= now) return;
    const remaining = expiresAt.getTime() - now;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAt: expiresAt.getTime() - Math.min(this.refreshBeforeMs, remaining / 2) });
  }

  get size(): number {
    return this.entries.size;
  }
}
