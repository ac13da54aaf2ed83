import type { SignatureOutcome, VerificationLevelName } from '../notary/outcome.js';

/** The product's one decision about an image. */
export type Decision = 'allow' | 'deny' | 'inconclusive';

export interface Reason {
  code: string;
  message: string;
}

export interface VerdictSubject {
  /** The reference as given by the caller. */
  reference: string;
  /** The resolved manifest digest (absent only when resolution itself failed). */
  digest?: string;
  mediaType?: string;
}

export interface Verdict {
  subject: VerdictSubject;
  decision: Decision;
  policy?: { name: string; level: VerificationLevelName };
  signatures: SignatureOutcome[];
  reasons: Reason[];
  /** RFC 3339. */
  verifiedAt: string;
  /** RFC 3339; the earliest instant the verdict could change, capped by configuration. */
  expiresAt: string;
}

export interface VerifyOptions {
  /** Optional. Abort the verification (deadline of the caller). */
  signal?: AbortSignal;
  /**
   * Optional. For an index: also require these platform manifests (digests) — or all of them with 'all' —
   * to be covered by a verified signature. Default: the index's own signatures only.
   */
  requirePlatforms?: 'all' | string[];
  /** Optional. Skip the verdict cache and verify from the registry (the result is still stored). Default: false. */
  bypassCache?: boolean;
  /** Optional. Why this verification runs; stored with the verdict. Default: 'request'. */
  source?: 'push' | 'request' | 'recheck';
}

export interface VerificationService {
  verify(reference: string, options?: VerifyOptions): Promise<Verdict>;
}
