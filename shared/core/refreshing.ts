/**
 * Stale-while-revalidate with one flight per key. A value is *fresh* until `freshUntil`, then *stale but
 * usable* until `usableUntil`: a stale read returns the last good value at once and starts (at most) one
 * background refresh; a read with no usable value waits for the one shared refresh. A failed refresh keeps
 * the last good value (within its usable lifetime) and is retried on the next read after `retryAfterMs`.
 */
export interface Timed<V> {
  value: V;
  /** Epoch ms until which the value is served without a refresh. */
  freshUntil: number;
  /** Epoch ms until which the value may still be served while a refresh is under way or failing. */
  usableUntil: number;
  /** Optional. When the value was obtained: a clock that moved back before it makes the value unusable. */
  storedAt?: number;
}

interface Entry<V> extends Timed<V> {
  /** No background refresh before this instant (after a failure). */
  retryAt: number;
}

export interface RefreshingOptions {
  /** Optional. Entries kept at most (oldest written dropped first). Default 10,000. */
  maxEntries?: number;
  /** Optional. After a failed background refresh, wait this long before the next one. Default 1,000 ms. */
  retryAfterMs?: number;
  /** Optional. Told about background refresh failures (the caller already got the stale value). */
  onBackgroundError?: (key: string, error: unknown) => void;
}

export class RefreshingMap<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly flights = new Map<string, Promise<Timed<V>>>();
  /** Bumped by forget() during a flight: a refresh that started before it must not write its (older) answer back. */
  private readonly generations = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly retryAfterMs: number;

  constructor(private readonly options: RefreshingOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.retryAfterMs = options.retryAfterMs ?? 1_000;
  }

  /**
   * The value for `key`: fresh → as is; stale but usable → as is, plus one background refresh; otherwise the
   * shared refresh is awaited (and its error thrown). `refresh` is called at most once at a time per key.
   */
  async getOrRefresh(key: string, nowMs: number, refresh: () => Promise<Timed<V>>): Promise<V> {
    const usable = this.usableOrRefresh(key, nowMs, refresh);
    if (usable) return usable.value;
    return (await this.flight(key, refresh)).value;
  }

  /**
   * getOrRefresh without the wait: the usable value (a stale one also starts the one background refresh), or
   * undefined — and nothing started — when a caller would have to wait for a refresh.
   */
  usableOrRefresh(key: string, nowMs: number, refresh: () => Promise<Timed<V>>): { value: V } | undefined {
    const entry = this.usable(key, nowMs);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.freshUntil && nowMs >= entry.retryAt && !this.flights.has(key)) {
      this.flight(key, refresh).catch((error: unknown) => {
        const current = this.entries.get(key);
        if (current) current.retryAt = nowMs + this.retryAfterMs;
        this.options.onBackgroundError?.(key, error);
      });
    }
    return entry;
  }

  /** The value if it is still usable, without refreshing anything. */
  peek(key: string, nowMs: number): V | undefined {
    return this.usable(key, nowMs)?.value;
  }

  /** The value if it is still fresh, without refreshing anything. */
  fresh(key: string, nowMs: number): V | undefined {
    const entry = this.usable(key, nowMs);
    return entry && nowMs < entry.freshUntil ? entry.value : undefined;
  }

  /** The entry unless it is past its usable lifetime or from the clock's future (then it is dropped). */
  private usable(key: string, nowMs: number): Entry<V> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (nowMs < entry.usableUntil && (entry.storedAt === undefined || nowMs >= entry.storedAt)) return entry;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, timed: Timed<V>): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { ...timed, retryAt: 0 });
  }

  forget(key: string): void {
    this.entries.delete(key);
    if (this.flights.has(key)) this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  /** Forgets every entry whose value matches. */
  forgetWhere(matches: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.forget(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Refreshes `key` now (joining one under way) and stores the answer; the caller gets its error, if any. */
  async refreshNow(key: string, refresh: () => Promise<Timed<V>>): Promise<V> {
    return (await this.flight(key, refresh)).value;
  }

  /** Resolves when the refreshes under way now have settled (tests, orderly shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.flights.values()]);
  }

  /** Refreshes in flight (for tests and metrics). */
  get inFlight(): number {
    return this.flights.size;
  }

  private flight(key: string, refresh: () => Promise<Timed<V>>): Promise<Timed<V>> {
    const existing = this.flights.get(key);
    if (existing) return existing;
    const generation = this.generations.get(key) ?? 0;
    const promise = (async () => {
      try {
        const timed = await refresh();
        if ((this.generations.get(key) ?? 0) === generation) this.set(key, timed);
        return timed;
      } finally {
        this.flights.delete(key);
        this.generations.delete(key); // only needed while a flight is under way
      }
    })();
    this.flights.set(key, promise);
    return promise;
  }
}
