import { exceedsJsonDepth, readBodyLimited } from '../../core/index.js';
import { FORM_CONTENT_TYPE, MAX_TOKEN_BODY_BYTES, TOKEN_CLIENT_ID, TOKEN_DEFAULT_EXPIRES_IN_SECONDS } from '../constants.js';
import { RegistryError } from '../errors.js';
import { redact } from '../transport.js';
import type { Transport } from '../transport.js';
import type { RegistryCredential } from './credentials.js';

export interface IssuedToken {
  token: string;
  expiresInMs: number;
}

/**
 * Gets a bearer token from a challenge's realm (https://distribution.github.io/distribution/spec/auth/token/):
 * GET with Basic or no credentials, or POST `grant_type=refresh_token` (spec "oauth") for refresh tokens.
 */
export async function requestToken(
  transport: Transport,
  challenge: { realm: string; service?: string },
  scope: string,
  credential: RegistryCredential | undefined,
  signal: AbortSignal | undefined,
): Promise<IssuedToken> {
  const realm = new URL(challenge.realm);
  let response: Response;
  if (credential?.kind === 'refresh-token') {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.refreshToken, scope, client_id: TOKEN_CLIENT_ID });
    if (challenge.service !== undefined) form.set('service', challenge.service);
    response = await transport.send(realm, { method: 'POST', headers: { 'content-type': FORM_CONTENT_TYPE }, body: form.toString(), ...(signal ? { signal } : {}) });
  } else {
    if (challenge.service !== undefined) realm.searchParams.set('service', challenge.service);
    realm.searchParams.append('scope', scope);
    const authorization = credential ? basicAuthorization(credential.username, credential.password) : undefined;
    response = await transport.send(realm, { method: 'GET', ...(authorization ? { authorization } : {}), ...(signal ? { signal } : {}) });
  }
  const body = await readTokenBody(response, realm);
  const token = typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token;
  if (typeof token !== 'string' || token === '') throw tokenError(realm, 'answer has no token', response.status);
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : TOKEN_DEFAULT_EXPIRES_IN_SECONDS;
  return { token, expiresInMs: expiresIn * 1000 };
}

/** Reads a JSON token-service answer (bounded); any non-200 or malformed body is ERR_TOKEN_REQUEST. */
export async function readTokenBody(response: Response, url: URL): Promise<Record<string, unknown>> {
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw tokenError(url, `HTTP ${response.status}`, response.status);
  }
  let parsed: unknown;
  try {
    const bytes = await readBodyLimited(response, MAX_TOKEN_BODY_BYTES);
    if (exceedsJsonDepth(bytes)) throw new Error('answer nests too deep');
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw tokenError(url, 'answer is not a JSON object within the size limit', response.status, error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw tokenError(url, 'answer is not a JSON object', response.status);
  return parsed as Record<string, unknown>;
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function tokenError(url: URL, why: string, status: number, cause?: unknown): RegistryError {
  return new RegistryError('ERR_TOKEN_REQUEST', 'inconclusive', `token request to ${redact(url)} failed: ${why}`, { status, ...(cause === undefined ? {} : { cause }) });
}
