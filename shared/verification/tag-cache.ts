import type { Descriptor } from '../oci/index.js';

/**
 * Remembers tag → descriptor for a short time so repeated admissions of `repo:tag` are a lookup.
 * A tag can move, so the window is small and configurable (0 disables); digests are never cached here
 * because they need no resolution.
 */
export class TagCache {
  private readonly entries = new Map<string, { descriptor: Descriptor; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(reference: string, nowMs: number): Descriptor | undefined {
    const entry = this.entries.get(reference);
    if (!entry) return undefined;
    if (entry.until <= nowMs) {
      this.entries.delete(reference);
      return undefined;
    }
    return entry.descriptor;
  }

  set(reference: string, descriptor: Descriptor, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(reference, { descriptor, until: nowMs + this.ttlMs });
  }

  forget(reference: string): void {
    this.entries.delete(reference);
  }

  /** Forgets every tag of a repository that points at `digest` (image deleted or re-pushed). */
  forgetDigest(digest: string): void {
    for (const [key, entry] of this.entries) if (entry.descriptor.digest === digest) this.entries.delete(key);
  }
}
