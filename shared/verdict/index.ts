/**
 * The format-neutral verdict: what every surface (REST, CLI, admission, Gatekeeper, push, timer, cache) reads.
 * Types only, and no imports: every module may depend on this one, and it depends on nothing.
 */

/** The product's one decision about an image. */
export type Decision = 'allow' | 'deny' | 'inconclusive';

export interface Reason {
  /** Stable `OK_*` / `ERR_*` code: part of the public API. */
  code: string;
  message: string;
}

export type CheckAction = 'enforce' | 'log' | 'skip';

/** One check a scheme ran on one piece of evidence (Notary: integrity, authenticity, …; cosign: signature, tlog, identity, …). */
export interface EvidenceCheck {
  name: string;
  action: CheckAction;
  /** false only when the check ran and failed; a skipped check is ok: true. */
  ok: boolean;
  error?: Reason;
}

/** Who signed, as far as the scheme can tell. Every field is display text, already bounded by the scheme. */
export interface EvidenceSigner {
  /** Certificate subject DN (RFC 4514), keyless identity (SAN), key id or TUF role/key. */
  subject: string;
  issuer?: string;
  /** SHA-256 hex of each certificate of the chain, leaf first (certificate-based schemes). */
  thumbprints?: string[];
  notBefore?: string;
  notAfter?: string;
}

/** What one scheme concluded about one piece of evidence (a signature manifest, a bundle, a TUF target). */
export interface EvidenceOutcome {
  /** The scheme's name: 'notary', 'cosign', 'dct', … */
  scheme: string;
  /** Where the evidence was found: signature manifest digest, `.sig` tag digest, TUF role path… */
  evidence?: string;
  /** The trust root (key, keyless identity set, pinned TUF root, Notation trust policy) that accepted it, when ok. */
  trustRoot?: string;
  /** true when every enforced check passed and the evidence binds to the subject. */
  ok: boolean;
  checks: EvidenceCheck[];
  signer?: EvidenceSigner;
  /** RFC 3339: signing time (authentic when timestamped or logged). */
  signedAt?: string;
  /** RFC 3339: the earliest instant this outcome could change (certificate, timestamp, metadata, revocation data). */
  expiresAt?: string;
  /** The first enforced failure, when ok is false. */
  error?: Reason;
  /** Scheme-specific display facts (envelope media type, verification level, timestamp time…): strings only, bounded. */
  details?: Record<string, string>;
}

export interface VerdictSubject {
  /** The reference as given by the caller. */
  reference: string;
  /** The resolved manifest digest (absent only when resolution itself failed). */
  digest?: string;
  mediaType?: string;
}

export interface VerdictPolicy {
  /** Name of the policy (statement) that applied. */
  name: string;
  /** Notation verification level, when a Notation statement applied. */
  level?: string;
}

export interface Verdict {
  subject: VerdictSubject;
  decision: Decision;
  policy?: VerdictPolicy;
  evidence: EvidenceOutcome[];
  reasons: Reason[];
  /** RFC 3339. */
  verifiedAt: string;
  /** RFC 3339; the earliest instant the verdict could change, capped by configuration. */
  expiresAt: string;
}
