import type { Clock, FetchLike } from '../core/index.js';
import { BodyReadError, discardBody, isAbortError, readBodyLimited, timeoutSignal } from '../core/index.js';
import { parseChallenge, type RegistryCredential } from '../oci/index.js';
import { DCT_CODES, failed, inconclusive } from './errors.js';
import { TokenCache } from './token-cache.js';

/** What a metadata read answers: the bytes, or "the server has no such file". */
export type TrustRead = { found: true; bytes: Buffer } | { found: false };

export interface TrustFetcherOptions {
  fetch: FetchLike;
  clock: Clock;
  /** Per-request timeout (the overall verification deadline still applies through `signal`). */
  timeoutMs: number;
  /** Optional. Registry credentials by host: presented only when the trust server and its token realm are that host. */
  credentials?: (registry: string) => Promise<RegistryCredential | undefined>;
}

const MAX_REDIRECTS = 3;
const MAX_TOKEN_BYTES = 64 * 1024;

/**
 * Reads trust-server files through the egress-guarded fetch, bounded in bytes and time. Answers a Bearer
 * challenge with the docker token flow (as ACR and Docker Hub serve trust data): anonymous, or with the operator's
 * credentials for that host when the trust server is the registry itself and the realm is on the same host (ACR);
 * the token is only ever sent to the trust server's own origin (redirects to another origin drop it).
 * Everything that is not 200 or 404 is "unreachable": inconclusive, never a deny.
 */
export class TrustFetcher {
  private readonly tokens: TokenCache;

  constructor(private readonly options: TrustFetcherOptions) {
    this.tokens = new TokenCache(options.clock);
  }

  /**
   * `signedLength`: maxBytes is the length the parent role signed, so a longer body is tampering, not an
   * oversized answer.
   */
  async read(url: URL, maxBytes: number, signal: AbortSignal, scope: string, signedLength = false): Promise<TrustRead> {
    try {
      let response = await this.get(url, signal, this.tokens.get(url.origin, scope));
      if (response.status === 401) {
        const challenge = parseChallenge(response.headers.get('www-authenticate'));
        await discardBody(response);
        if (challenge.scheme !== 'bearer') throw inconclusive(`trust server ${url.origin} asks for basic credentials; only anonymous token auth is supported`);
        const token = await this.fetchToken(url, challenge, scope, signal);
        response = await this.get(url, signal, token);
      }
      if (response.status === 404) {
        await discardBody(response);
        return { found: false };
      }
      if (response.status !== 200) {
        await discardBody(response);
        throw inconclusive(`trust server answered ${response.status} for ${url.pathname}`);
      }
      return { found: true, bytes: await readBodyLimited(response, maxBytes) };
    } catch (error) {
      if (signedLength && error instanceof BodyReadError && error.code === 'ERR_BODY_TOO_LARGE') {
        throw failed(DCT_CODES.tampered, `${url.pathname} is longer than the ${maxBytes} bytes its parent role signed`);
      }
      if (isAbortError(error)) throw inconclusive(`trust server ${url.origin} timed out`, error);
      if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_')) {
        // Already one of ours, an oci challenge error or a body-size refusal: all inconclusive or kept as-is.
        throw error.code.startsWith('ERR_DCT_') ? error : inconclusive(`trust server ${url.origin}: ${error.message}`, error);
      }
      throw inconclusive(`trust server ${url.origin} is unreachable: ${(error as Error).message}`, error);
    }
  }

  /** GET with manual redirects, so an Authorization header never follows a redirect to another origin. */
  private async get(url: URL, signal: AbortSignal, token: string | undefined): Promise<Response> {
    let current = url;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (token !== undefined && current.origin === url.origin) headers.authorization = `Bearer ${token}`;
      const response = await this.options.fetch(current, { headers, redirect: 'manual', signal: timeoutSignal(this.options.timeoutMs, signal) });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || location === null) return response;
      await discardBody(response);
      if (hop >= MAX_REDIRECTS) throw inconclusive(`trust server ${url.origin} redirects too often`);
      const next = new URL(location, current);
      if (next.protocol !== 'https:' && current.protocol === 'https:') throw inconclusive('trust server redirects from https to http');
      current = next;
    }
  }

  private async fetchToken(url: URL, challenge: { realm: string; service?: string; scope?: string }, scope: string, signal: AbortSignal): Promise<string> {
    const realm = new URL(challenge.realm);
    if (url.protocol === 'https:' && realm.protocol !== 'https:') throw inconclusive(`token realm ${realm.origin} is not https`);
    if (challenge.service !== undefined) realm.searchParams.set('service', challenge.service);
    const wanted = challenge.scope ?? scope;
    realm.searchParams.set('scope', wanted);
    // Credentials are bound to the registry's origin: only when the realm is the trust server's own host over https.
    const credential = realm.protocol === 'https:' && realm.host === url.host ? await this.options.credentials?.(url.host) : undefined;
    const response = await this.options.fetch(realm, { ...tokenRequest(realm, credential), redirect: 'error', signal: timeoutSignal(this.options.timeoutMs, signal) });
    if (response.status !== 200) {
      await discardBody(response);
      throw inconclusive(`token endpoint ${realm.origin} answered ${response.status}`);
    }
    const body = JSON.parse((await readBodyLimited(response, MAX_TOKEN_BYTES)).toString('utf8')) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (token === undefined || token.length === 0 || token.length > 16_384 || /[\r\n]/.test(token)) throw inconclusive(`token endpoint ${realm.origin} returned no usable token`);
    this.tokens.set(url.origin, scope, token, typeof body.expires_in === 'number' ? body.expires_in : undefined);
    return token;
  }
}

/** The token request of the docker token spec: GET (anonymous or Basic), or POST with a refresh token (OAuth2 form). */
function tokenRequest(realm: URL, credential: RegistryCredential | undefined): RequestInit {
  const accept = { accept: 'application/json' };
  if (credential === undefined) return { headers: accept };
  if (credential.kind === 'basic') {
    return { headers: { ...accept, authorization: `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}` } };
  }
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.refreshToken });
  for (const name of ['service', 'scope']) {
    const value = realm.searchParams.get(name);
    if (value !== null) form.set(name, value);
  }
  return { method: 'POST', headers: { ...accept, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() };
}
