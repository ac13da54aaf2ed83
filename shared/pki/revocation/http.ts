import { isAbortError, readBodyLimited, timeoutSignal, type FetchLike } from '../../core/index.js';
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

/** One bounded request: time limit, body size limit, 200 only. Every failure is an `inconclusive` PkiError. */
export async function fetchBounded(fetch: FetchLike, request: BoundedRequest): Promise<Buffer> {
  assertHttpUrl(request.url);
  const signal = timeoutSignal(request.timeoutMs, request.signal);
  try {
    const response = await fetch(request.url, {
      method: request.method ?? 'GET',
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
    const why = isAbortError(error) ? `timed out or was cancelled after at most ${request.timeoutMs} ms` : (error as Error)?.message ?? String(error);
    throw new PkiError('ERR_REVOCATION_FETCH', `fetching ${request.url} failed: ${why}`, { cause: error });
  }
}
