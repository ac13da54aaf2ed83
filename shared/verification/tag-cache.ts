import { RefreshingMap } from '../core/index.js';
import type { Descriptor } from '../oci/index.js';

export interface TagCacheOptions {
  /** Optional. Entries kept at most. Default 10,000. */
  maxEntries?: number;
  /**
   * Optional. How long past its TTL a resolution may still be served while one refresh runs in the background
   * (or keeps failing), ms. Default: 1 hour (the allow-verdict lifetime). 0 turns stale-while-revalidate off.
   */
  maxStaleMs?: number;
  /** Optional. After a failed background refresh, wait this long before trying again, ms. Default 1,000. */
  retryAfterMs?: number;
  /** Optional. Told when a background refresh fails (the caller was served the last good resolution). */
  onRefreshError?: (reference: string, error: unknown) => void;
}

/**
 * Remembers tag → descriptor for a short time so repeated admissions of `repo:tag` are a lookup.
 * A tag can move, so the window is small and configurable (0 disables); digests are never cached here
 * because they need no resolution.
 *
 * `getOrRefresh` is the request-path API: at most one registry HEAD per tag at a time, and when the TTL runs
 * out every caller keeps the last good descriptor while one refresh runs (a 640-caller stampede sends 1 HEAD
 * and nobody waits or turns inconclusive). A failed refresh keeps the last descriptor for `maxStaleMs`.
 */
export class TagCache {
  private readonly map: RefreshingMap<Descriptor>;
  private readonly maxStaleMs: number;

  constructor(
    private readonly ttlMs: number,
    maxEntries = 10_000,
    options: Omit<TagCacheOptions, 'maxEntries'> = {},
  ) {
    this.maxStaleMs = options.maxStaleMs ?? 3_600_000;
    this.map = new RefreshingMap<Descriptor>({
      maxEntries,
      retryAfterMs: options.retryAfterMs ?? 1_000,
      ...(options.onRefreshError ? { onBackgroundError: options.onRefreshError } : {}),
    });
  }

  /**
   * The descriptor of `reference` (a tag reference, `registry/repository:tag`), resolving it with `refresh`
   * when nothing usable is cached. With the cache disabled (TTL 0) every call refreshes, still one flight at a time.
   * `nowMs` is read once per call: pass a function so a slow refresh stores its answer at the instant it arrived.
   */
  async getOrRefresh(reference: string, now: () => number, refresh: () => Promise<Descriptor>): Promise<Descriptor> {
    return this.map.getOrRefresh(reference, now(), this.loader(now, refresh));
  }

  /**
   * getOrRefresh without the wait, as of `nowMs`: the usable descriptor (a stale one starts the background refresh,
   * whose answer is stored at `now()` when it arrives), else undefined.
   */
  usable(reference: string, nowMs: number, now: () => number, refresh: () => Promise<Descriptor>): Descriptor | undefined {
    return this.map.usableOrRefresh(reference, nowMs, this.loader(now, refresh))?.value;
  }

  private loader(now: () => number, refresh: () => Promise<Descriptor>) {
    return async () => {
      const descriptor = await refresh();
      const at = now();
      const freshUntil = at + this.ttlMs;
      return { value: descriptor, freshUntil, usableUntil: this.ttlMs > 0 ? freshUntil + this.maxStaleMs : at, storedAt: at };
    };
  }

  get(reference: string, nowMs: number): Descriptor | undefined {
    // Callers of get/set resolve on their own: only fresh values.
    return this.map.fresh(reference, nowMs);
  }

  set(reference: string, descriptor: Descriptor, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    this.map.set(reference, { value: descriptor, freshUntil: nowMs + this.ttlMs, usableUntil: nowMs + this.ttlMs + this.maxStaleMs, storedAt: nowMs });
  }

  forget(reference: string): void {
    this.map.forget(reference);
  }

  /** Forgets every tag of a repository that points at `digest` (image deleted or re-pushed). */
  forgetDigest(digest: string): void {
    this.map.forgetWhere((descriptor) => descriptor.digest === digest);
  }

  /** Registry resolutions in flight right now (tests, metrics). */
  get refreshesInFlight(): number {
    return this.map.inFlight;
  }
}
