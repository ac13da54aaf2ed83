import { EgressPolicy, silentLogger, systemClock, untilAborted, type Clock, type FetchLike, type Logger } from '../../core/index.js';
import { parseCertificate, type Certificate } from '../certificate.js';
import { validateCodeSigningChain, validateTimestampingChain, type CertificateInput } from '../chain.js';
import { MEDIA_TYPE, REVOCATION_DEFAULTS } from '../constants.js';
import { PkiError } from '../errors.js';
import { ExpiringCache } from './cache.js';
import { crlStatus, parseCrl, validateCrl, validateDeltaPair, type ParsedCrl } from './crl.js';
import { fetchBounded } from './http.js';
import { ocspRequest, parseOcspResponse } from './ocsp.js';
import type { CertRevocationResult, ChainRevocationResult, CheckChainOptions, RevocationCheckerOptions, SourceAnswer } from './types.js';

interface Lookup {
  at: Date;
  authenticSigningTime?: Date;
  signal?: AbortSignal;
}

/**
 * Revocation checking of a certificate chain (spec §11; notary-spec digest §11): OCSP first, CRL when OCSP is
 * unknown and the certificate has distribution points; the root is never checked; a certificate without
 * pointers is non-revokable. Answers are cached until their nextUpdate, stale-while-revalidate with one flight per
 * key: concurrent checks of signatures by one chain share one request, shortly before nextUpdate callers keep the
 * cached answer while one refetch runs, and a failed refetch keeps serving it until its nextUpdate. A flight carries
 * no caller's signal (its own timeout bounds it); each caller stops waiting at its own deadline. `prefetch` warms
 * the cache off the request path.
 */
export class RevocationChecker {
  private readonly fetch: FetchLike;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly limits: { ocspTimeoutMs: number; crlTimeoutMs: number; ocspMaxBytes: number; crlMaxBytes: number };
  private readonly ocspCache: ExpiringCache<SourceAnswer>;
  private readonly crlCache: ExpiringCache<ParsedCrl>;

  constructor(options: RevocationCheckerOptions) {
    // Certificate URLs are attacker-chosen: they go through the egress policy (public addresses only, connect to the
    // checked address, no redirects). A fetch given without a policy is a test's fake responder.
    this.fetch = options.egress ? options.egress.asFetch() : (options.fetch ?? new EgressPolicy({ clock: options.clock ?? systemClock }).asFetch());
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.limits = {
      ocspTimeoutMs: options.ocspTimeoutMs ?? REVOCATION_DEFAULTS.ocspTimeoutMs,
      crlTimeoutMs: options.crlTimeoutMs ?? REVOCATION_DEFAULTS.crlTimeoutMs,
      ocspMaxBytes: options.ocspMaxBytes ?? REVOCATION_DEFAULTS.ocspMaxBytes,
      crlMaxBytes: options.crlMaxBytes ?? REVOCATION_DEFAULTS.crlMaxBytes,
    };
    const max = options.maxCacheEntries ?? 1000;
    const refreshBeforeMs = options.refreshBeforeMs ?? 30 * 60_000;
    this.ocspCache = new ExpiringCache(this.clock, max, refreshBeforeMs);
    this.crlCache = new ExpiringCache(this.clock, max, refreshBeforeMs);
  }

  /**
   * The revocation status of a leaf-first chain. The chain is re-validated first (§7, by purpose); every
   * certificate but the root is checked in parallel. revoked if any is revoked, ok if all are ok, else unknown.
   */
  async checkChain(input: readonly CertificateInput[], options: CheckChainOptions): Promise<ChainRevocationResult> {
    const chain = options.purpose === 'timestamping' ? validateTimestampingChain(input) : validateCodeSigningChain(input);
    const lookup: Lookup = {
      at: options.at,
      ...(options.authenticSigningTime ? { authenticSigningTime: options.authenticSigningTime } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const certs = await Promise.all(chain.map((cert, i) => {
      const issuer = chain[i + 1];
      return issuer ? this.checkCertificate(cert, issuer, lookup) : Promise.resolve(rootResult(cert));
    }));
    const status = certs.some((c) => c.status === 'revoked') ? 'revoked' : certs.every((c) => c.status === 'ok') ? 'ok' : 'unknown';
    const nextUpdate = certs.map((c) => c.nextUpdate).filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
    return { status, ...(nextUpdate ? { nextUpdate } : {}), certs };
  }

  /** Fetches (and caches) the revocation data of a chain now, ignoring failures: for warm-up off the request path. */
  async prefetch(input: readonly CertificateInput[], signal?: AbortSignal): Promise<void> {
    try {
      const chain = input.map((c) => parseCertificate(c));
      const lookup: Lookup = { at: this.clock.now(), ...(signal ? { signal } : {}) };
      await Promise.all(chain.slice(0, -1).map((cert, i) => this.checkCertificate(cert, chain[i + 1] as Certificate, lookup)));
    } catch (error) {
      this.logger.log('warn', 'revocation.prefetch_failed', { error: (error as Error).message });
    }
  }

  private async checkCertificate(cert: Certificate, issuer: Certificate, lookup: Lookup): Promise<CertRevocationResult> {
    const base = { thumbprint: cert.thumbprint, subject: cert.subject };
    if (cert.ocspUrls.length === 0 && cert.crlUrls.length === 0) return { ...base, status: 'ok', method: 'non-revokable' };
    let ocspError: PkiError | undefined;
    if (cert.ocspUrls.length > 0) {
      const result = await this.viaOcsp(cert, issuer, lookup).catch((error: unknown) => asPkiError(error));
      if (!(result instanceof PkiError) && result.status !== 'unknown') return toResult(base, result, 'ocsp', lookup);
      ocspError = result instanceof PkiError ? result : new PkiError('ERR_OCSP_RESPONSE', 'OCSP responder does not know the certificate');
      if (cert.crlUrls.length === 0) return unknownResult(base, 'ocsp', ocspError, this.logger);
    }
    const method = ocspError ? 'ocsp-fallback-crl' : 'crl';
    try {
      return toResult(base, await this.viaCrl(cert, issuer, lookup), method, lookup);
    } catch (error) {
      return unknownResult(base, method, asPkiError(error), this.logger);
    }
  }

  /** OCSP URLs in order; the first answer wins (spec §11.2). Errors move on to the next URL. */
  private async viaOcsp(cert: Certificate, issuer: Certificate, lookup: Lookup): Promise<SourceAnswer> {
    const request = ocspRequest(cert, issuer);
    const currentAt = (answer: SourceAnswer) => !answer.nextUpdate || lookup.at.getTime() <= answer.nextUpdate.getTime();
    let lastError: unknown;
    for (const url of cert.ocspUrls) {
      const shared = this.ocspCache.getOrRefresh(
        `${url}|${request.key}`,
        async () => {
          const answer = parseOcspResponse(await this.ocspExchange(url, request.der), cert, issuer, lookup.at);
          return { value: answer, expiresAt: answer.nextUpdate };
        },
        currentAt,
      );
      try {
        const answer = await this.waitFor(shared, url, lookup.signal);
        // A flight another caller started judged freshness at its own instant.
        if (!currentAt(answer)) throw new PkiError('ERR_OCSP_RESPONSE', `expired OCSP response: nextUpdate ${answer.nextUpdate?.toISOString() ?? ''}`);
        return answer;
      } catch (error) {
        lastError = error;
        this.logger.log('debug', 'revocation.ocsp_failed', { url, error: (error as Error).message });
      }
    }
    throw lastError;
  }

  /**
   * GET `<url>/<url-escaped base64>` when that URL stays under 255 characters, else POST (RFC 6960 Appendix A,
   * RFC 5019 §5).
   */
  private ocspExchange(url: string, der: Buffer): Promise<Buffer> {
    const getUrl = `${url.replace(/\/$/, '')}/${encodeURIComponent(der.toString('base64'))}`;
    const limits = { timeoutMs: this.limits.ocspTimeoutMs, maxBytes: this.limits.ocspMaxBytes };
    if (getUrl.length < REVOCATION_DEFAULTS.ocspGetMaxLength) return fetchBounded(this.fetch, { url: getUrl, ...limits });
    return fetchBounded(this.fetch, { url, method: 'POST', body: der, contentType: MEDIA_TYPE.ocspRequest, ...limits });
  }

  /** Every CRL distribution point (plus the delta CRL when the certificate asks for one); the first error decides (spec §11.3). */
  private async viaCrl(cert: Certificate, issuer: Certificate, lookup: Lookup): Promise<SourceAnswer> {
    let answer: SourceAnswer | undefined;
    for (const url of cert.crlUrls) {
      const crl = await this.crl(url, lookup.signal);
      validateCrl(crl, cert, issuer, lookup.at, 'base');
      const lists = [crl];
      if (cert.freshestCrlUrls.length > 0) {
        const deltaUrl = crl.freshestCrlUrls[0];
        if (!deltaUrl) throw new PkiError('ERR_CRL_INVALID', 'the certificate requires a delta CRL but the base CRL names none');
        const delta = await this.crl(deltaUrl, lookup.signal);
        validateCrl(delta, cert, issuer, lookup.at, 'delta');
        validateDeltaPair(crl, delta);
        lists.push(delta);
      }
      answer = crlStatus(cert.serialNumber, lists, lookup.authenticSigningTime);
      if (answer.status === 'revoked') return answer;
    }
    return answer ?? { status: 'unknown' };
  }

  private crl(url: string, signal?: AbortSignal): Promise<ParsedCrl> {
    const shared = this.crlCache.getOrRefresh(url, async () => {
      const crl = parseCrl(await fetchBounded(this.fetch, { url, timeoutMs: this.limits.crlTimeoutMs, maxBytes: this.limits.crlMaxBytes }));
      return { value: crl, expiresAt: crl.nextUpdate };
    });
    return this.waitFor(shared, url, signal);
  }

  /** Waits for a shared flight until this caller's signal aborts (the flight goes on for the others). */
  private async waitFor<T>(shared: Promise<T>, url: string, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return shared;
    try {
      return await untilAborted(shared, signal);
    } catch (error) {
      if (!signal.aborted || error !== signal.reason) throw error;
      throw new PkiError('ERR_REVOCATION_FETCH', `fetching ${url} was cancelled: the verification deadline was reached`, { cause: error, details: { url, detail: 'cancelled' } });
    }
  }
}

function rootResult(cert: Certificate): CertRevocationResult {
  return { thumbprint: cert.thumbprint, subject: cert.subject, status: 'ok', method: 'root' };
}

function toResult(base: { thumbprint: string; subject: string }, answer: SourceAnswer, method: CertRevocationResult['method'], lookup: Lookup): CertRevocationResult {
  const nextUpdate = answer.nextUpdate ? { nextUpdate: answer.nextUpdate } : {};
  if (answer.status === 'good') return { ...base, status: 'ok', method, ...nextUpdate };
  if (answer.status === 'unknown') return { ...base, status: 'unknown', method, ...nextUpdate, error: { code: 'ERR_OCSP_RESPONSE', message: 'the responder does not know the certificate' } };
  // OCSP: a revocation effective only after the authentic signing time does not invalidate the signature (signingAuthority).
  const ast = lookup.authenticSigningTime;
  if (method === 'ocsp' && ast && answer.invalidityDate && ast.getTime() < answer.invalidityDate.getTime()) return { ...base, status: 'ok', method, ...nextUpdate };
  const when = answer.revokedAt ? ` on ${answer.revokedAt.toISOString()}` : '';
  return { ...base, status: 'revoked', method, ...nextUpdate, error: { code: 'ERR_CERT_REVOKED', message: `certificate "${base.subject}" was revoked${when}${answer.reason ? ` (${answer.reason})` : ''}` } };
}

function unknownResult(base: { thumbprint: string; subject: string }, method: CertRevocationResult['method'], error: PkiError, logger: Logger): CertRevocationResult {
  logger.log('warn', 'revocation.unknown', { subject: base.subject, method, code: error.code, error: error.message, ...(error.details ?? {}) });
  return { ...base, status: 'unknown', method, error: { code: error.code, message: error.message } };
}

function asPkiError(error: unknown): PkiError {
  if (error instanceof PkiError) return error;
  return new PkiError('ERR_REVOCATION_FETCH', (error as Error)?.message ?? String(error), { cause: error });
}
