import type { CachedVerdict } from './port.js';

/**
 * Rules every tier applies the same way.
 * - Only definitive verdicts are stored: an inconclusive one (registry down, timeout) must be retried, not remembered.
 * - An entry is live while `at` is before its verdict's expiresAt; an expired entry is a miss.
 * - When two writers race on one key the verdict with the newer verifiedAt wins; on a tie the later write wins.
 */
export function isStorable(entry: CachedVerdict): boolean {
  return (
    entry.verdict.decision !== 'inconclusive' &&
    Number.isFinite(Date.parse(entry.verdict.expiresAt)) &&
    Number.isFinite(Date.parse(entry.verdict.verifiedAt))
  );
}

export function expiresAtMs(entry: CachedVerdict): number {
  return Date.parse(entry.verdict.expiresAt);
}

export function isLive(entry: CachedVerdict, at: Date): boolean {
  return at.getTime() < expiresAtMs(entry);
}

/** True when `incoming` may replace a stored verdict made at `storedVerifiedAt`. */
export function replaces(incoming: CachedVerdict, storedVerifiedAt: string | Date | undefined): boolean {
  if (storedVerifiedAt === undefined) return true;
  const stored = storedVerifiedAt instanceof Date ? storedVerifiedAt.getTime() : Date.parse(storedVerifiedAt);
  if (!Number.isFinite(stored)) return true;
  return Date.parse(incoming.verdict.verifiedAt) >= stored;
}
