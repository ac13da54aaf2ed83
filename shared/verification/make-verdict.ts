import type { Decision, Verdict } from './verdict.js';

export interface VerdictLifetimes {
  /** Longest life of an allow verdict, seconds. */
  allowSeconds: number;
  /** Life of a deny verdict, seconds. */
  denySeconds: number;
}

/**
 * Builds a Verdict whose expiresAt is the earliest instant it could change: the passing signature's own
 * expiry (certificate, timestamp, revocation data) capped by the configured lifetime. Inconclusive
 * verdicts expire at once (they are never cached).
 */
export function makeVerdict(
  at: Date,
  lifetimes: VerdictLifetimes,
  fields: Pick<Verdict, 'subject' | 'decision' | 'reasons'> & Partial<Pick<Verdict, 'policy' | 'evidence'>>,
): Verdict {
  const seconds = lifetimeOf(fields.decision, lifetimes);
  let expires = at.getTime() + seconds * 1000;
  const signatureExpiry = fields.decision === 'allow' ? earliestExpiry(fields.evidence ?? []) : undefined;
  if (signatureExpiry !== undefined && signatureExpiry < expires) expires = Math.max(signatureExpiry, at.getTime());
  return {
    subject: fields.subject,
    decision: fields.decision,
    ...(fields.policy ? { policy: fields.policy } : {}),
    evidence: fields.evidence ?? [],
    reasons: fields.reasons,
    verifiedAt: at.toISOString(),
    expiresAt: new Date(expires).toISOString(),
  };
}

function lifetimeOf(decision: Decision, lifetimes: VerdictLifetimes): number {
  switch (decision) {
    case 'allow':
      return lifetimes.allowSeconds;
    case 'deny':
      return lifetimes.denySeconds;
    case 'inconclusive':
      return 0;
  }
}

function earliestExpiry(outcomes: Verdict['evidence']): number | undefined {
  const passing = outcomes.filter((o) => o.ok && o.expiresAt).map((o) => Date.parse(o.expiresAt as string));
  return passing.length > 0 ? Math.min(...passing) : undefined;
}
