import { ACR_AAD_SCOPE, ACR_EXCHANGE_PATH, FORM_CONTENT_TYPE } from '../constants.js';
import { RegistryError } from '../errors.js';
import type { Transport } from '../transport.js';
import { readTokenBody } from './token-client.js';

/**
 * The Entra ID token port: the shape of @azure/identity's `TokenCredential.getToken`, so a
 * `DefaultAzureCredential` (or a managed identity credential) plugs straight in.
 */
export interface AadTokenProvider {
  getToken(scopes: string | string[], options?: { abortSignal?: AbortSignal }): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

export interface AcrRefreshToken {
  refreshToken: string;
  /** Epoch ms after which the exchange must be redone (the Entra token's expiry). */
  expiresOnTimestamp: number;
}

/**
 * ACR's Entra ID flow, step 1 (platform-notes "ACR"): an Entra access token for the ACR audience is exchanged at
 * `POST /oauth2/exchange` for an ACR refresh token, which the token flow then trades for scoped access tokens.
 */
export async function exchangeAadToken(
  transport: Transport,
  credential: AadTokenProvider,
  registryOrigin: URL,
  service: string,
  tenantId: string | undefined,
  signal: AbortSignal | undefined,
): Promise<AcrRefreshToken> {
  let aad: { token: string; expiresOnTimestamp: number } | null;
  try {
    aad = await credential.getToken(ACR_AAD_SCOPE, signal ? { abortSignal: signal } : {});
  } catch (error) {
    throw new RegistryError('ERR_CREDENTIALS', 'config', `cannot get an Entra ID token for ${ACR_AAD_SCOPE}`, { cause: error });
  }
  if (!aad) throw new RegistryError('ERR_CREDENTIALS', 'config', `no Entra ID token for ${ACR_AAD_SCOPE}`);
  const url = new URL(ACR_EXCHANGE_PATH, registryOrigin);
  const form = new URLSearchParams({ grant_type: 'access_token', service, access_token: aad.token });
  if (tenantId !== undefined) form.set('tenant', tenantId);
  const response = await transport.send(url, { method: 'POST', headers: { 'content-type': FORM_CONTENT_TYPE }, body: form.toString(), ...(signal ? { signal } : {}) });
  const body = await readTokenBody(response, url);
  if (typeof body.refresh_token !== 'string' || body.refresh_token === '') {
    throw new RegistryError('ERR_TOKEN_REQUEST', 'inconclusive', `ACR exchange at ${url.origin} returned no refresh_token`, { status: response.status });
  }
  return { refreshToken: body.refresh_token, expiresOnTimestamp: aad.expiresOnTimestamp };
}
