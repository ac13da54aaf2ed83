import { EgressError, isAbortError, networkCause, readBodyLimited, timeoutSignal, type FetchLike } from '../../core/index.js';
import { PkiError } from '../errors.js';

export interface BoundedRequest {
  url: string;
  method?: 'GET' | 'POST';
  body?: Uint8Array;
  contentType?: string;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/** Only plain http:// URLs are fetched (spec §11.2–11.3: OCSP/CRL data is signed, and https would need revocation itself). */
export function assertHttpUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PkiError('ERR_REVOCATION_URL', `revocation URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:') throw new PkiError('ERR_REVOCATION_URL', `only http:// revocation URLs are supported, got ${parsed.protocol}//`);
}

/**
 * One bounded request: time limit, body size limit, 200 only, redirects not followed. Every failure is an
 * `inconclusive` PkiError whose message names the URL and a coarse cause (refused by the egress policy, timed out,
 * HTTP status, connection failed); the exact cause (ECONNREFUSED, resolver answer, address) is in `details` for the
 * log only — the URL comes from a certificate anyone can craft, so callers must not learn more about the network.
 */
export async function fetchBounded(fetch: FetchLike, request: BoundedRequest): Promise<Buffer> {
  assertHttpUrl(request.url);
  const signal = timeoutSignal(request.timeoutMs, request.signal);
  try {
    const response = await fetch(request.url, {
      method: request.method ?? 'GET',
      redirect: 'manual',
      signal,
      ...(request.body ? { body: request.body, headers: { 'content-type': request.contentType ?? 'application/octet-stream' } } : {}),
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new PkiError('ERR_REVOCATION_FETCH', `${request.url} answered HTTP ${response.status}`);
    }
    return await readBodyLimited(response, request.maxBytes);
  } catch (error) {
    if (error instanceof PkiError) throw error;
    const why =
      error instanceof EgressError
        ? 'refused by the egress policy (not a public address)'
        : isAbortError(error)
          ? `timed out or was cancelled after at most ${request.timeoutMs} ms`
          : 'connection failed';
    const detail = error instanceof EgressError ? error.message : isAbortError(error) ? 'timeout' : networkCause(error);
    throw new PkiError('ERR_REVOCATION_FETCH', `fetching ${request.url} failed: ${why}`, { cause: error, details: { url: request.url, detail } });
  }
}
