import { CacheError, CACHE_ERROR_CODES } from './errors.js';

/**
 * Position in a listDue walk: entries are ordered by (expiresAt, key) and a page resumes strictly after
 * the last entry it returned. The continuation string is opaque to callers (base64url JSON).
 */
export interface DuePosition {
  /** expiresAt in epoch milliseconds. */
  at: number;
  /** Tie-breaker: a stable key of the entry within its tier. */
  key: string;
}

export function compareDue(a: DuePosition, b: DuePosition): number {
  if (a.at !== b.at) return a.at - b.at;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function encodeContinuation(position: DuePosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Parses a continuation made by encodeContinuation; anything else is a caller error. */
export function decodeContinuation(continuation: string | undefined): DuePosition | undefined {
  if (continuation === undefined || continuation === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(continuation, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalid(error);
  }
  if (
    typeof parsed !== 'object' || parsed === null ||
    typeof (parsed as DuePosition).at !== 'number' || !Number.isFinite((parsed as DuePosition).at) ||
    typeof (parsed as DuePosition).key !== 'string'
  ) {
    throw invalid();
  }
  return { at: (parsed as DuePosition).at, key: (parsed as DuePosition).key };
}

function invalid(cause?: unknown): CacheError {
  return new CacheError(CACHE_ERROR_CODES.invalidContinuation, 'invalid-input', 'listDue continuation is not one this cache issued', { cause });
}
