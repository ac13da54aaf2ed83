import type { Clock } from '../../core/index.js';

interface Entry<T> {
  value: T;
  /** Served without a refresh until here (shortly before the real expiry). */
  refreshAt: number;
  /** The answer's own expiry (nextUpdate): never served after it. */
  expiresAt: number;
}

/**
 * A bounded map whose entries expire at their own instant (the OCSP/CRL nextUpdate, spec §11.3 "cache until
 * nextUpdate"). Oldest entries are evicted first when full. `get` treats an entry as gone from its refresh point
 * on; `getOrRefresh` keeps serving it until the real expiry while one refresh runs in the background.
 */
export class ExpiringCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly flights = new Map<string, Promise<T>>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries: number,
    /** Entries are refreshed this long before their expiry (at most half their remaining life when stored). */
    private readonly refreshBeforeMs = 0,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.clock.now().getTime() >= entry.refreshAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /**
   * Stale-while-revalidate, one flight per key: before the refresh point → the cached value; between it and the
   * answer's expiry → the cached value plus one background `refresh` (a failure keeps the cached value until it
   * expires); otherwise the shared refresh is awaited. `refresh` returns the value and its expiry (nextUpdate).
   * `refresh` must not depend on one caller's cancellation: its flight is shared (callers bound their own wait).
   */
  async getOrRefresh(key: string, refresh: () => Promise<{ value: T; expiresAt: Date | undefined }>, usable: (value: T) => boolean = () => true): Promise<T> {
    const now = this.clock.now().getTime();
    const entry = this.entries.get(key);
    // A caller that cannot use the cached value (it judges freshness at another instant) waits for the shared refresh.
    if (entry && !usable(entry.value)) return this.flight(key, refresh);
    if (entry && now < entry.refreshAt) return entry.value;
    if (entry && now < entry.expiresAt) {
      if (!this.flights.has(key)) this.flight(key, refresh).catch(() => undefined);
      return entry.value;
    }
    if (entry) this.entries.delete(key);
    return this.flight(key, refresh);
  }

  /** Stores `value` until shortly before `expiresAt`; an answer without a future expiry is not cached. */
  set(key: string, value: T, expiresAt: Date | undefined): void {
    const now = this.clock.now().getTime();
    if (!expiresAt || expiresAt.getTime() <= now) return;
    const remaining = expiresAt.getTime() - now;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, refreshAt: expiresAt.getTime() - Math.min(this.refreshBeforeMs, remaining / 2), expiresAt: expiresAt.getTime() });
  }

  get size(): number {
    return this.entries.size;
  }

  private flight(key: string, refresh: () => Promise<{ value: T; expiresAt: Date | undefined }>): Promise<T> {
    const existing = this.flights.get(key);
    if (existing) return existing;
    const promise = (async () => {
      try {
        const { value, expiresAt } = await refresh();
        this.set(key, value, expiresAt);
        return value;
      } finally {
        this.flights.delete(key);
      }
    })();
    this.flights.set(key, promise);
    return promise;
  }
}
