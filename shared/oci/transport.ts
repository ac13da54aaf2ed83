import { EgressError, classifyAddress, discardBody, isAbortError, networkCause, timeoutSignal } from '../core/index.js';
import type { Clock, EgressPolicy, Logger } from '../core/index.js';
import { isIP } from 'node:net';
import { HEADER_RETRY_AFTER } from './constants.js';
import { RegistryError } from './errors.js';

/** Waits `ms` unless `signal` aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface TransportSettings {
  /** Every request goes through it: address checks, one resolution, connection to the checked address. */
  egress: EgressPolicy;
  clock: Clock;
  logger: Logger;
  sleep: Sleep;
  /** Per attempt, headers and body together. */
  timeoutMs: number;
  /** Extra attempts after the first on 5xx, 429 and connection errors. */
  retries: number;
  backoffMs: number;
  /** A 429 whose Retry-After is longer than this is not waited for. */
  maxRetryAfterMs: number;
  maxRedirects: number;
  /** Redirect targets allowed to be non-public (an on-premises object store the operator listed). */
  storageHosts: (host: string) => boolean;
  /** Hosts (`host[:port]`) reachable over plain http. */
  isPlainHttp: (host: string) => boolean;
}

export interface SendInit {
  method: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Sent to the original origin only, never across a redirect to another origin. */
  authorization?: string;
  /**
   * True for GETs of content addressed by digest (blobs, manifests by digest): only those may follow a redirect to
   * another origin (ACR serves blobs from *.blob.core.windows.net), without credentials and to public addresses.
   */
  contentAddressed?: boolean;
  signal?: AbortSignal;
}

/** A response and the URL that answered it (after redirects). */
export interface Answer {
  response: Response;
  url: URL;
}

/**
 * One logical HTTP exchange with bounded time, retries and redirects. Answers of any status are returned
 * (the caller maps them to errors with the body in hand); connection failures and timeouts throw
 * RegistryError (inconclusive). Redirects are followed by hand so credentials never leave their origin.
 */
export class Transport {
  constructor(private readonly settings: TransportSettings) {}

  async send(url: URL, init: SendInit): Promise<Response> {
    return (await this.exchange(url, init)).response;
  }

  /** As send, also returning the URL that answered (a 401 from another origin is not the registry's challenge). */
  async exchange(url: URL, init: SendInit): Promise<Answer> {
    const { retries } = this.settings;
    for (let attempt = 0; ; attempt++) {
      const response = await this.sendFollowingRedirects(url, init, attempt < retries);
      if (response === 'retry') {
        await this.pause(this.backoff(attempt), init.signal);
        continue;
      }
      if (attempt >= retries || !isRetryableStatus(response.response.status)) return response;
      const delay = this.retryDelay(response.response, attempt);
      if (delay === undefined) return response;
      await discardBody(response.response);
      this.settings.logger.log('warn', 'oci.retry', { url: redact(url), status: response.response.status, attempt: attempt + 1, delayMs: delay });
      await this.pause(delay, init.signal);
    }
  }

  private async sendFollowingRedirects(start: URL, init: SendInit, mayRetry: boolean): Promise<Answer | 'retry'> {
    let url = start;
    for (let hop = 0; hop <= this.settings.maxRedirects; hop++) {
      const sameOrigin = url.origin === start.origin;
      if (!sameOrigin) await this.checkPublic(url, start);
      const headers: Record<string, string> = { ...init.headers, ...(init.authorization && sameOrigin ? { authorization: init.authorization } : {}) };
      const signal = timeoutSignal(this.settings.timeoutMs, init.signal);
      let response: Response;
      try {
        response = await this.settings.egress.fetch(url, { method: init.method, headers, body: init.body ?? null, redirect: 'manual', signal });
      } catch (error) {
        const failure = this.networkError(error, url, init.signal);
        if (failure.code === 'ERR_REGISTRY_CONNECTION' && mayRetry && !(error instanceof EgressError)) {
          this.settings.logger.log('warn', 'oci.retry', { url: redact(url), error: failure.message });
          return 'retry';
        }
        throw failure;
      }
      // A POST carries secrets in its body (token requests): its redirects are never followed.
      if (!isRedirect(response.status) || init.method === 'POST') return { response, url };
      const location = response.headers.get('location');
      await discardBody(response);
      if (!location) throw new RegistryError('ERR_INVALID_RESPONSE', 'inconclusive', `redirect ${response.status} without Location from ${redact(url)}`, { status: response.status });
      url = this.redirectTarget(url, location, start, init);
    }
    throw new RegistryError('ERR_TOO_MANY_REDIRECTS', 'inconclusive', `more than ${this.settings.maxRedirects} redirects from ${redact(start)}`);
  }

  /**
   * Only http(s); never from https down to http unless the target host is explicitly plain-http; to another origin
   * only for content-addressed GETs (the address check of that hop then demands a public address).
   */
  private redirectTarget(from: URL, location: string, start: URL, init: SendInit): URL {
    let target: URL;
    try {
      target = new URL(location, from);
    } catch (error) {
      throw new RegistryError('ERR_REDIRECT_REFUSED', 'inconclusive', `unusable redirect Location from ${redact(from)}`, { cause: error });
    }
    const downgrade = from.protocol === 'https:' && target.protocol === 'http:' && !this.settings.isPlainHttp(target.host);
    if ((target.protocol !== 'https:' && target.protocol !== 'http:') || downgrade) {
      throw new RegistryError('ERR_REDIRECT_REFUSED', 'inconclusive', `refusing redirect from ${redact(from)} to ${target.protocol}//${target.host}`);
    }
    if (target.origin !== start.origin && !(init.method === 'GET' && init.contentAddressed === true)) {
      this.settings.logger.log('warn', 'oci.redirect_refused', { from: redact(from), to: target.origin, method: init.method });
      throw new RegistryError('ERR_REDIRECT_REFUSED', 'inconclusive', `refusing a redirect from ${redact(from)} to another origin: only content addressed by digest may be served from elsewhere`);
    }
    return target;
  }

  /** A redirect target on another origin must resolve to public addresses only, whatever hosts the operator named. */
  private async checkPublic(url: URL, start: URL): Promise<void> {
    const target = await this.settings.egress.check(url).catch((error: unknown) => {
      if (!(error instanceof EgressError) || error.code !== 'ERR_EGRESS_FORBIDDEN') throw this.networkError(error, url, undefined);
      this.settings.logger.log('warn', 'oci.redirect_refused', { from: start.origin, to: url.origin, ...(error.details ?? {}) });
      throw new RegistryError('ERR_REDIRECT_REFUSED', 'inconclusive', `refusing a redirect from ${start.host} to a non-public address`, { cause: error });
    });
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const address = target?.address ?? (isIP(host) ? host : undefined);
    if (address !== undefined && classifyAddress(address).class !== 'public' && !this.settings.storageHosts(url.host)) {
      this.settings.logger.log('warn', 'oci.redirect_refused', { from: start.origin, to: url.origin, address });
      throw new RegistryError('ERR_REDIRECT_REFUSED', 'inconclusive', `refusing a redirect from ${start.host} to a non-public address`);
    }
  }

  private retryDelay(response: Response, attempt: number): number | undefined {
    if (response.status !== 429) return this.backoff(attempt);
    const header = response.headers.get(HEADER_RETRY_AFTER);
    if (header === null) return this.backoff(attempt);
    const delay = parseRetryAfter(header, this.settings.clock.now());
    return delay === undefined || delay > this.settings.maxRetryAfterMs ? undefined : delay;
  }

  private backoff(attempt: number): number {
    return this.settings.backoffMs * 2 ** attempt;
  }

  private async pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.settings.sleep(ms, signal);
    } catch (error) {
      throw new RegistryError('ERR_REGISTRY_ABORTED', 'inconclusive', 'registry request aborted by the caller', { cause: error });
    }
  }

  /**
   * Maps a failed exchange to a RegistryError. For hosts the operator named, the message names the cause (ENOTFOUND,
   * ECONNREFUSED, TLS, plain HTTP); for any other host it says only that the host could not be reached — open or
   * closed ports, resolver answers and internal addresses go to the log, never to the caller.
   */
  private networkError(error: unknown, url: URL, callerSignal: AbortSignal | undefined): RegistryError {
    if (error instanceof RegistryError) return error;
    if (callerSignal?.aborted) return new RegistryError('ERR_REGISTRY_ABORTED', 'inconclusive', `request to ${redact(url)} aborted by the caller`, { cause: error });
    const named = this.settings.egress.isNamed(url);
    const literal = isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0;
    if (error instanceof EgressError && error.code === 'ERR_EGRESS_FORBIDDEN' && (named || literal)) {
      return new RegistryError('ERR_ADDRESS_FORBIDDEN', 'invalid-input', error.message, { cause: error, ...(error.details ? { details: error.details } : {}) });
    }
    const timedOut = isAbortError(error);
    const cause = error instanceof EgressError ? error.message : timedOut ? `no answer within ${this.settings.timeoutMs} ms` : networkCause(error);
    if (!named) {
      this.settings.logger.log('warn', 'oci.unreachable', { url: redact(url), cause, ...(error instanceof EgressError && error.details ? error.details : {}) });
      return new RegistryError('ERR_REGISTRY_CONNECTION', 'inconclusive', `cannot reach ${url.host} (the cause is in trustgate's log)`, { cause: error });
    }
    if (timedOut) return new RegistryError('ERR_REGISTRY_TIMEOUT', 'inconclusive', `no answer from ${redact(url)} within ${this.settings.timeoutMs} ms`, { cause: error });
    return new RegistryError('ERR_REGISTRY_CONNECTION', 'inconclusive', `cannot reach ${redact(url)}: ${cause}`, { cause: error });
  }
}

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when unusable. */
export function parseRetryAfter(header: string, now: Date): number | undefined {
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP-date forms all start with a day name; anything else (negative or fractional numbers) is unusable.
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501);
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** URLs in logs and messages without query strings (pre-signed storage URLs carry secrets there). */
export function redact(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
