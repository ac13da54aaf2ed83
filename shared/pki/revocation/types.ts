import type { EgressPolicy, FetchLike, Clock, Logger } from '../../core/index.js';

export type RevocationStatus = 'ok' | 'revoked' | 'unknown';

/** How a certificate's status was decided (spec §11.1). */
export type RevocationMethod = 'ocsp' | 'crl' | 'ocsp-fallback-crl' | 'non-revokable' | 'root';

export interface CertRevocationResult {
  thumbprint: string;
  subject: string;
  status: RevocationStatus;
  method: RevocationMethod;
  /** When the answer stops being current (OCSP/CRL nextUpdate). */
  nextUpdate?: Date;
  /** Why the status is unknown (or revoked: the revocation details). */
  error?: { code: string; message: string };
}

export interface ChainRevocationResult {
  /** revoked if any certificate is revoked; ok if all are ok or non-revokable; otherwise unknown. */
  status: RevocationStatus;
  /** The earliest nextUpdate of the answers used: the verdict may change then. */
  nextUpdate?: Date;
  certs: CertRevocationResult[];
}

export interface CheckChainOptions {
  /** Required. 'codeSigning' for the signing chain, 'timestamping' for a TSA chain. */
  purpose: 'codeSigning' | 'timestamping';
  /** Required. The verification time: OCSP/CRL freshness is judged at this instant. */
  at: Date;
  /** Optional. signingAuthority only: a revocation whose invalidity date is after this time does not count. */
  authenticSigningTime?: Date;
  /** Optional. Cancels outstanding fetches. */
  signal?: AbortSignal;
}

export interface RevocationCheckerOptions {
  /** Optional. The egress policy OCSP and CRL requests go through. Default: a policy with no named hosts (public addresses only). */
  egress?: EgressPolicy;
  /** Optional. A fake transport for tests, used as given when no `egress` is set. Default: the egress policy. */
  fetch?: FetchLike;
  /** Optional. Default: systemClock (used for cache expiry and prefetch). */
  clock?: Clock;
  /** Optional. Default: silentLogger. */
  logger?: Logger;
  /** Optional. Default: 2000. */
  ocspTimeoutMs?: number;
  /** Optional. Default: 5000. */
  crlTimeoutMs?: number;
  /** Optional. Default: 20 KiB. */
  ocspMaxBytes?: number;
  /** Optional. Default: 32 MiB. */
  crlMaxBytes?: number;
  /** Optional. Maximum cached OCSP answers and CRLs (each). Default: 1000. */
  maxCacheEntries?: number;
  /**
   * Optional. Fetch again this long before an answer's nextUpdate (at most half its remaining life), in the
   * background: callers keep the cached answer meanwhile, and a failed refetch keeps it until its nextUpdate. So the
   * re-check timer soon gets fresh data rather than the answer about to lapse. Default: 30 minutes.
   */
  refreshBeforeMs?: number;
}

/** What one revocation source says about one certificate. */
export interface SourceAnswer {
  status: 'good' | 'revoked' | 'unknown';
  nextUpdate?: Date;
  revokedAt?: Date;
  reason?: string;
  /** CRL/OCSP invalidity date extension (RFC 5280 §5.3.2). */
  invalidityDate?: Date;
}
