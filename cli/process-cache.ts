import type { CachedVerdict, CacheKey, DuePage, ResultCache } from '../shared/cache/index.js';
import type { EventPublisher } from '../shared/events/index.js';

/**
 * A CLI run verifies each image once (concurrent calls for one digest already share a verification), so it keeps no
 * verdict cache — and so never leaves a deny behind. Without a Table Storage setting this replaces the memory tier,
 * which spares the run from loading the Table Storage SDK; with one, the configured tiers are used as everywhere else.
 */
export const noVerdictCache: ResultCache = {
  get: async (_key: CacheKey, _at: Date): Promise<CachedVerdict | undefined> => undefined,
  put: async () => undefined,
  delete: async () => undefined,
  deleteDigest: async () => undefined,
  listDue: async (): Promise<DuePage> => ({ entries: [] }),
};

/** The CLI publishes no events (verdict changes are the re-check timer's). */
export const noEvents: EventPublisher = { publish: async () => undefined };
