import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readBodyLimited, timeoutSignal, type FetchLike } from '../core/index.js';
import { isRecord, parseBoundedJson } from './bounded-json.js';
import { CosignError } from './errors.js';
import { checkPublicKey } from './keys.js';

/** Where a cosign public key lives in Azure Key Vault (cosign's `azurekms://` keys). */
export interface KeyVaultKeyRef {
  vaultUrl: string;
  name: string;
  version?: string;
}

const API_VERSION = '7.4';
const MAX_BODY = 64 * 1024;
const TIMEOUT_MS = 10_000;

/**
 * Reads the public part of a Key Vault key: `GET {vault}/keys/{name}[/{version}]?api-version=7.4` →
 * `{key: JWK (kty EC|EC-HSM|RSA|RSA-HSM), attributes: {enabled}}`. The fetch is the injected, egress-guarded one;
 * authenticating it to Key Vault (a bearer token for https://vault.azure.net) is the composition root's job.
 * Failures are `ERR_COSIGN_KEYVAULT` (inconclusive): the vault could not be read, nothing was decided.
 */
export async function fetchKeyVaultKey(fetch: FetchLike, ref: KeyVaultKeyRef): Promise<KeyObject> {
  const url = new URL(`keys/${encodeURIComponent(ref.name)}${ref.version ? `/${encodeURIComponent(ref.version)}` : ''}`, ref.vaultUrl.endsWith('/') ? ref.vaultUrl : `${ref.vaultUrl}/`);
  url.searchParams.set('api-version', API_VERSION);
  let body: Buffer;
  try {
    const response = await fetch(url, { headers: { accept: 'application/json' }, signal: timeoutSignal(TIMEOUT_MS) });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${response.status}`);
    }
    body = await readBodyLimited(response, MAX_BODY);
  } catch (error) {
    throw new CosignError('ERR_COSIGN_KEYVAULT', `cannot read Key Vault key ${url.origin}/keys/${ref.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const json = parseBoundedJson(body, MAX_BODY, 'Key Vault key');
  const jwk = isRecord(json) ? json.key : undefined;
  const enabled = isRecord(json) && isRecord(json.attributes) ? json.attributes.enabled : undefined;
  if (!isRecord(jwk) || typeof jwk.kty !== 'string') throw new CosignError('ERR_COSIGN_KEYVAULT', `Key Vault answered no key for ${ref.name}`);
  if (enabled === false) throw new CosignError('ERR_COSIGN_KEYVAULT', `Key Vault key ${ref.name} is disabled`);
  const kty = jwk.kty.replace(/-HSM$/, '');
  const publicJwk = kty === 'EC' ? { kty, crv: jwk.crv, x: jwk.x, y: jwk.y } : kty === 'RSA' ? { kty, n: jwk.n, e: jwk.e } : undefined;
  if (!publicJwk) throw new CosignError('ERR_COSIGN_KEYVAULT', `Key Vault key ${ref.name} has unsupported type ${jwk.kty.slice(0, 16)}`);
  try {
    return checkPublicKey(createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' }));
  } catch (error) {
    throw new CosignError('ERR_COSIGN_KEYVAULT', `Key Vault key ${ref.name} is not usable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
