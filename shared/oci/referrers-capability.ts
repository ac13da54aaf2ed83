import type { Clock } from '../core/index.js';
import type { ReferrersMode } from './referrers.js';
import type { RepositoryRef } from './types.js';

const MAX_REMEMBERED = 10_000;

/**
 * Which referrers listing works, remembered per registry *and repository* and only for a while: one repository's
 * 404 (a proxy route, a repository that does not exist yet, a registry being upgraded) never switches another
 * repository to the tag schema, and an answer is probed again after `ttlMs`. Bounded: the oldest entry goes first.
 */
export class ReferrersCapabilities {
  private readonly modes = new Map<string, { mode: ReferrersMode; until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  get(repo: RepositoryRef): ReferrersMode | undefined {
    const key = keyOf(repo);
    const entry = this.modes.get(key);
    if (entry === undefined) return undefined;
    if (entry.until > this.clock.now().getTime()) return entry.mode;
    this.modes.delete(key);
    return undefined;
  }

  remember(repo: RepositoryRef, mode: ReferrersMode): void {
    const key = keyOf(repo);
    this.modes.delete(key);
    this.modes.set(key, { mode, until: this.clock.now().getTime() + this.ttlMs });
    if (this.modes.size > MAX_REMEMBERED) {
      const oldest = this.modes.keys().next().value;
      if (oldest !== undefined) this.modes.delete(oldest);
    }
  }
}

function keyOf(repo: RepositoryRef): string {
  return `${repo.registry.toLowerCase()}/${repo.repository}`;
}
