import type { CachedVerdict, CacheKey, DuePage, ResultCache } from './port.js';

/**
 * Tiers tried in order (memory first, then Table Storage): a hit in a lower tier fills the tiers above it;
 * put and deleteDigest go to every tier; listDue comes from the last (durable) tier, the only one that
 * sees what every instance stored.
 */
export interface TieredResultCacheOptions {
  /** Optional. Each tier's name, in order, for `onLookup`. Default: tier0, tier1, … */
  names?: readonly string[];
  /** Optional. Told of every lookup in every tier (cache-tier hit metrics). */
  onLookup?: (tier: string, hit: boolean) => void;
}

export class TieredResultCache implements ResultCache {
  private readonly tiers: readonly ResultCache[];

  constructor(tiers: readonly ResultCache[], private readonly options: TieredResultCacheOptions = {}) {
    if (tiers.length === 0) throw new RangeError('TieredResultCache needs at least one tier');
    this.tiers = tiers;
  }

  async get(key: CacheKey, at: Date): Promise<CachedVerdict | undefined> {
    for (let i = 0; i < this.tiers.length; i++) {
      const hit = await this.tiers[i]?.get(key, at);
      this.options.onLookup?.(this.options.names?.[i] ?? `tier${i}`, hit !== undefined);
      if (hit === undefined) continue;
      await Promise.all(this.tiers.slice(0, i).map((upper) => upper.put(hit)));
      return hit;
    }
    return undefined;
  }

  /** A hit of the first tier, if it can answer from memory; lower tiers are only asked by get(). */
  peek(key: CacheKey, at: Date): CachedVerdict | undefined {
    const hit = this.tiers[0]?.peek?.(key, at);
    if (hit !== undefined) this.options.onLookup?.(this.options.names?.[0] ?? 'tier0', true);
    return hit;
  }

  async put(entry: CachedVerdict): Promise<void> {
    await Promise.all(this.tiers.map((tier) => tier.put(entry)));
  }

  async delete(key: CacheKey): Promise<void> {
    await Promise.all(this.tiers.map((tier) => tier.delete(key)));
  }

  async deleteDigest(registry: string, repository: string, digest: string): Promise<void> {
    await Promise.all(this.tiers.map((tier) => tier.deleteDigest(registry, repository, digest)));
  }

  listDue(before: Date, limit: number, continuation?: string): Promise<DuePage> {
    return (this.tiers.at(-1) as ResultCache).listDue(before, limit, continuation);
  }
}
