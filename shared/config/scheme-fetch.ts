import type { FetchLike } from '../core/index.js';

/** What the scheme fetch needs of an Entra ID credential (the @azure/identity TokenCredential, narrowed). */
export interface TokenSource {
  getToken(scope: string): Promise<{ token: string } | null>;
}

/** Key Vault data-plane hosts (public and sovereign clouds) → the token audience of that cloud. */
const VAULT_HOST = /\.(vault\.azure\.net|vault\.azure\.cn|vault\.usgovcloudapi\.net|vault\.microsoftazure\.de)$/i;

/**
 * The fetch schemes get: requests to a Key Vault over https carry the app identity's bearer token for that cloud's
 * Key Vault audience (cosign's Key Vault keys); every other request goes out unchanged, without credentials. The
 * credential is only asked for when a vault is read, so deployments without Key Vault keys never load it.
 */
export function schemeFetch(fetch: FetchLike, credential: () => Promise<TokenSource>): FetchLike {
  return async (input, init) => {
    const url = new URL(String(input));
    const vault = url.protocol === 'https:' ? VAULT_HOST.exec(url.hostname) : null;
    if (!vault) return fetch(input, init);
    const token = await (await credential()).getToken(`https://${(vault[1] as string).toLowerCase()}/.default`);
    if (!token) throw new Error(`no Entra ID token for ${url.origin}`);
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token.token}`);
    return fetch(input, { ...init, headers, redirect: 'error' }); // a token never follows a redirect
  };
}
