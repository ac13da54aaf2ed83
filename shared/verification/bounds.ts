import type { EvidenceOutcome, EvidenceSigner, Reason, Verdict } from '../verdict/index.js';

/**
 * Bounds of one verdict: everything in it that evidence controls (DNs, thumbprint lists, messages, the number of
 * outcomes) is cut to these sizes with a visible marker, so a hostile signature set cannot make a verdict megabytes
 * (50 signatures × a 60 KB DN once gave 3.1 MB) for caches, the Table, admission answers and logs.
 */
export const VERDICT_BOUNDS = {
  /** Characters of a DN, identity or other display text. */
  textChars: 1024,
  /** Characters of a reason or check message. */
  messageChars: 1024,
  /** Thumbprints kept per signer (a real chain has 2–4). */
  thumbprints: 10,
  /** Evidence outcomes kept (as many as signatures tried by default). */
  evidence: 50,
  /** Checks kept per outcome. */
  checks: 16,
  /** Reasons kept. */
  reasons: 20,
  /** Entries of an outcome's `details`, and characters per value. */
  detailEntries: 16,
  detailChars: 256,
} as const;

export const TRUNCATION_MARKER = '…[truncated]';

/** The verdict cut to VERDICT_BOUNDS; an already small verdict comes back equal (a new object). */
export function boundVerdict(verdict: Verdict): Verdict {
  const evidence = verdict.evidence.slice(0, VERDICT_BOUNDS.evidence).map(boundOutcome);
  const dropped = verdict.evidence.length - evidence.length;
  const reasons = verdict.reasons.slice(0, VERDICT_BOUNDS.reasons).map(boundReason);
  if (dropped > 0 && reasons.length < VERDICT_BOUNDS.reasons + 1) {
    reasons.push({ code: 'INFO_EVIDENCE_TRUNCATED', message: `${dropped} more evidence outcomes were left out of this verdict` });
  }
  return {
    ...verdict,
    subject: { ...verdict.subject, reference: cut(verdict.subject.reference, VERDICT_BOUNDS.textChars) },
    ...(verdict.policy ? { policy: { ...verdict.policy, name: cut(verdict.policy.name, VERDICT_BOUNDS.textChars) } } : {}),
    evidence,
    reasons,
  };
}

function boundOutcome(outcome: EvidenceOutcome): EvidenceOutcome {
  const bounded: EvidenceOutcome = {
    ...outcome,
    checks: outcome.checks.slice(0, VERDICT_BOUNDS.checks).map((check) => ({ ...check, ...(check.error ? { error: boundReason(check.error) } : {}) })),
  };
  if (outcome.evidence !== undefined) bounded.evidence = cut(outcome.evidence, VERDICT_BOUNDS.textChars);
  if (outcome.trustRoot !== undefined) bounded.trustRoot = cut(outcome.trustRoot, VERDICT_BOUNDS.textChars);
  if (outcome.error) bounded.error = boundReason(outcome.error);
  if (outcome.signer) bounded.signer = boundSigner(outcome.signer);
  if (outcome.details) {
    const entries = Object.entries(outcome.details).slice(0, VERDICT_BOUNDS.detailEntries);
    bounded.details = Object.fromEntries(entries.map(([key, value]) => [cut(key, VERDICT_BOUNDS.detailChars), cut(value, VERDICT_BOUNDS.detailChars)]));
  }
  return bounded;
}

function boundSigner(signer: EvidenceSigner): EvidenceSigner {
  const bounded: EvidenceSigner = { ...signer, subject: cut(signer.subject, VERDICT_BOUNDS.textChars) };
  if (signer.issuer !== undefined) bounded.issuer = cut(signer.issuer, VERDICT_BOUNDS.textChars);
  if (signer.thumbprints) {
    const kept = signer.thumbprints.slice(0, VERDICT_BOUNDS.thumbprints).map((t) => cut(t, 128));
    const more = signer.thumbprints.length - kept.length;
    bounded.thumbprints = more > 0 ? [...kept, `${TRUNCATION_MARKER} +${more} more`] : kept;
  }
  return bounded;
}

function boundReason(reason: Reason): Reason {
  return { code: cut(reason.code, 64), message: cut(reason.message, VERDICT_BOUNDS.messageChars) };
}

/** `text` when it fits, else its first characters plus the marker and how much was cut; never longer than `max` + marker. */
export function cut(text: string, max: number): string {
  if (typeof text !== 'string' || text.length <= max) return text;
  return `${text.slice(0, max)}${TRUNCATION_MARKER}(${text.length - max} chars)`;
}
