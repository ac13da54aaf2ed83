import type { Verdict } from '../verdict/index.js';

export type { Decision, EvidenceCheck, EvidenceOutcome, EvidenceSigner, Reason, Verdict, VerdictPolicy, VerdictSubject } from '../verdict/index.js';

export interface VerifyOptions {
  /** Optional. Abort the verification (deadline of the caller): the verdict is then inconclusive `ERR_VERIFICATION_DEADLINE`. */
  signal?: AbortSignal;
  /**
   * Optional. For an index: also require these platform manifests (digests) — or all of them with 'all' —
   * to be covered by verified evidence. Default: the index's own evidence only.
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
