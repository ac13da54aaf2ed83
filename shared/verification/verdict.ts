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
  /**
   * Optional. The verdict verify() would give when it is known from memory alone (a decision made before any network
   * call, or a cached verdict under the current trust configuration), answered with no I/O and no await; undefined
   * when verify() would have to wait for something. Admission asks this first, so a warm review is a lookup.
   */
  cached?(reference: string): Verdict | undefined;
}
