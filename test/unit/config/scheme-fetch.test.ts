import { describe, expect, it } from 'vitest';
import { schemeFetch, type TokenSource } from '../../../shared/config/scheme-fetch.js';

function recorder() {
  const calls: Array<{ url: string; authorization: string | null; redirect?: RequestInit['redirect'] }> = [];
  const fetch = async (input: string | URL, init?: RequestInit) => {
    calls.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization'), ...(init?.redirect ? { redirect: init.redirect } : {}) });
    return new Response('{}');
  };
  const scopes: string[] = [];
  const credential: TokenSource = { getToken: async (scope) => (scopes.push(scope), { token: 'entra-token' }) };
  return { calls, scopes, fetch, credential };
}

describe('the fetch evidence schemes get from the composition root', () => {
  it('adds the Key Vault bearer token (per cloud audience) to https vault requests only, and refuses redirects for them', async () => {
    const r = recorder();
    const fetch = schemeFetch(r.fetch, async () => r.credential);
    await fetch('https://kv-acme.vault.azure.net/keys/cosign?api-version=7.4', { headers: { accept: 'application/json' } });
    await fetch(new URL('https://kv.vault.azure.cn/keys/k'));
    expect(r.calls.map((c) => [c.authorization, c.redirect])).toEqual([['Bearer entra-token', 'error'], ['Bearer entra-token', 'error']]);
    expect(r.scopes).toEqual(['https://vault.azure.net/.default', 'https://vault.azure.cn/.default']);
  });

  it('sends nothing extra elsewhere (trust servers, Rekor, look-alike hosts, plain http) and never asks for a token', async () => {
    const r = recorder();
    let asked = 0;
    const fetch = schemeFetch(r.fetch, async () => (asked++, r.credential));
    for (const url of ['https://notary.docker.io/v2/x', 'https://vault.azure.net.evil.example/keys/k', 'http://kv.vault.azure.net/keys/k', 'https://evilvault.azure.net/keys/k']) await fetch(url);
    expect(r.calls.map((c) => c.authorization)).toEqual([null, null, null, null]);
    expect(asked).toBe(0);
  });

  it('fails the read (the scheme reports it inconclusive) when no token can be had', async () => {
    const r = recorder();
    const fetch = schemeFetch(r.fetch, async () => ({ getToken: async () => null }));
    await expect(fetch('https://kv.vault.azure.net/keys/k')).rejects.toThrow(/no Entra ID token/);
    expect(r.calls).toEqual([]);
  });
});
