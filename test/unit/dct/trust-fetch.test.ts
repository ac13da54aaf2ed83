import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DCT_CODES } from '../../../shared/dct/index.js';
import type { FetchLike } from '../../../shared/core/index.js';
import type { Descriptor } from '../../../shared/oci/index.js';
import { buildRepo, serveRepo, testTufKey } from '../../helpers/notary-metadata.js';
import { createDct, verifyDct } from '../../helpers/notary-scheme.js';

const AT = new Date('2026-11-30T03:00:00Z');
const REGISTRY = 'myacr.azurecr.io';
const REPO = 'app';
const GUN = `${REGISTRY}/${REPO}`;
const manifest = Buffer.from('{"schemaVersion":2}');
const subject: Descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${createHash('sha256').update(manifest).digest('hex')}`, size: manifest.length };
const rootKey = testTufKey('ecdsa', 'tf-root');
const files = buildRepo({ rootKeys: [rootKey], targetsKey: testTufKey('ecdsa', 'tf-t'), snapshotKey: testTufKey('ecdsa', 'tf-s'), timestampKey: testTufKey('ed25519', 'tf-ts'), targets: { v1: manifest } });
const serve = serveRepo(GUN, () => files);

interface Seen {
  url: string;
  authorization: string | null;
}

/** ACR-style: trust data on the registry host behind the registry's token auth (anonymous pull allowed). */
function acr(seen: Seen[], options: { realm?: string; redirectSnapshotTo?: string } = {}): FetchLike {
  return async (input, init) => {
    const url = new URL(input.toString());
    const authorization = new Headers(init?.headers).get('authorization');
    seen.push({ url: url.href, authorization });
    if (url.origin === 'https://auth.test') return Response.json({ token: 'anon-token', expires_in: 300 });
    if (url.origin === 'https://cdn.test') return serve(`https://${REGISTRY}${url.pathname}`);
    if (authorization !== 'Bearer anon-token') {
      return new Response('{"errors":[{"code":"UNAUTHORIZED"}]}', {
        status: 401,
        headers: { 'www-authenticate': `Bearer realm="${options.realm ?? 'https://auth.test/oauth2/token'}",service="${REGISTRY}",scope="repository:${REPO}:pull"` },
      });
    }
    if (options.redirectSnapshotTo && url.pathname.endsWith('/snapshot.json')) return new Response(null, { status: 307, headers: { location: `${options.redirectSnapshotTo}${url.pathname}` } });
    return serve(url);
  };
}

const config = { trustRoots: { acr: { rootKeys: [rootKey.id] } } };

describe('trust server reads', () => {
  it('answers a Bearer challenge anonymously, sends the token only to the trust server, and reuses it', async () => {
    const seen: Seen[] = [];
    const scheme = await createDct(config, acr(seen));
    for (let i = 0; i < 2; i++) {
      const result = await verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT });
      expect(result.outcomes.map((o) => o.ok)).toEqual([true]);
    }
    const tokenRequests = seen.filter((s) => s.url.startsWith('https://auth.test/'));
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]?.authorization).toBeNull();
    expect(new URL(tokenRequests[0]?.url ?? '').searchParams.get('scope')).toBe(`repository:${REPO}:pull`);
    expect(new URL(tokenRequests[0]?.url ?? '').searchParams.get('service')).toBe(REGISTRY);
    expect(seen.filter((s) => s.url.startsWith(`https://${REGISTRY}/v2/${GUN}/_trust/tuf/`)).every((s) => s.url.endsWith('root.json') || s.authorization === 'Bearer anon-token')).toBe(true);
  });

  it('presents the operator\'s registry credentials to a private ACR\'s token realm on the registry host, and nowhere else', async () => {
    const basic = `Basic ${Buffer.from('puller:secret').toString('base64')}`;
    const privateAcr = (seen: Seen[], realmHost: string): FetchLike => async (input, init) => {
      const url = new URL(input.toString());
      const authorization = new Headers(init?.headers).get('authorization');
      seen.push({ url: url.href, authorization });
      if (url.pathname === '/oauth2/token') return authorization === basic ? Response.json({ access_token: 'pull-token' }) : new Response('{}', { status: 401 });
      if (authorization !== 'Bearer pull-token') {
        return new Response('', { status: 401, headers: { 'www-authenticate': `Bearer realm="https://${realmHost}/oauth2/token",service="${REGISTRY}",scope="repository:${REPO}:pull"` } });
      }
      return serve(url);
    };
    const credentials = async (host: string) => (host === REGISTRY ? { kind: 'basic' as const, username: 'puller', password: 'secret' } : undefined);

    const seen: Seen[] = [];
    const result = await verifyDct(await createDct(config, privateAcr(seen, REGISTRY), credentials), { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT });
    expect(result.outcomes.map((o) => o.ok)).toEqual([true]);
    expect(seen.filter((s) => s.authorization === basic).map((s) => new URL(s.url).pathname)).toEqual(['/oauth2/token']);

    // A realm on another host never sees them (the answer stays inconclusive, never a deny).
    const elsewhere: Seen[] = [];
    const refused = await verifyDct(await createDct(config, privateAcr(elsewhere, 'auth.test'), credentials), { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT });
    expect(refused.unreachable.map((r) => r.code)).toEqual([DCT_CODES.unreachable]);
    expect(elsewhere.every((s) => s.authorization !== basic)).toBe(true);
  });

  it('trades an ACR refresh token (the Entra exchange) at the registry\'s token endpoint with the OAuth2 form', async () => {
    const forms: string[] = [];
    const fetch: FetchLike = async (input, init) => {
      const url = new URL(input.toString());
      if (url.pathname === '/oauth2/token') {
        forms.push(`${init?.method} ${String(init?.body)}`);
        return Response.json({ access_token: 'pull-token' });
      }
      if (new Headers(init?.headers).get('authorization') !== 'Bearer pull-token') {
        return new Response('', { status: 401, headers: { 'www-authenticate': `Bearer realm="https://${REGISTRY}/oauth2/token",service="${REGISTRY}",scope="repository:${REPO}:pull"` } });
      }
      return serve(url);
    };
    const scheme = await createDct(config, fetch, async () => ({ kind: 'refresh-token', refreshToken: 'acr-refresh' }));
    const result = await verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT });
    expect(result.outcomes.map((o) => o.ok)).toEqual([true]);
    expect(forms[0]).toBe(`POST grant_type=refresh_token&refresh_token=acr-refresh&service=${REGISTRY}&scope=repository%3A${REPO}%3Apull`);
  });

  it('drops the token when the trust server redirects to another origin', async () => {
    const seen: Seen[] = [];
    const scheme = await createDct(config, acr(seen, { redirectSnapshotTo: 'https://cdn.test' }));
    const result = await verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT });
    expect(result.outcomes.map((o) => o.ok)).toEqual([true]);
    const cdn = seen.filter((s) => s.url.startsWith('https://cdn.test/'));
    expect(cdn).toHaveLength(1);
    expect(cdn[0]?.authorization).toBeNull();
  });

  it('refuses an http token realm for an https trust server (inconclusive)', async () => {
    const scheme = await createDct(config, acr([], { realm: 'http://auth.test/token' }));
    const result = await verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT });
    expect(result.outcomes).toEqual([]);
    expect(result.unreachable.map((r) => r.code)).toEqual([DCT_CODES.unreachable]);
  });

  it.each<[string, FetchLike]>([
    ['a Basic challenge', () => Promise.resolve(new Response('', { status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } }))],
    ['a 500', () => Promise.resolve(new Response('boom', { status: 500 }))],
    ['a network error', () => Promise.reject(new TypeError('fetch failed'))],
    ['an oversized root.json', () => Promise.resolve(new Response(new Uint8Array(600 * 1024), { status: 200 }))],
    ['a request that never answers', (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)))],
  ])('is inconclusive on %s, never a deny', async (_name, fetch) => {
    const scheme = await createDct({ ...config, timeoutMs: 200 }, fetch);
    const result = await verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT });
    expect(result.outcomes).toEqual([]);
    expect(result.unreachable.map((r) => r.code)).toEqual([DCT_CODES.unreachable]);
  });

  it('denies a role longer than the length its parent signed (tampered, read stops at the signed length)', async () => {
    const padded = new Map(files);
    padded.set('snapshot', Buffer.concat([files.get('snapshot') as Buffer, Buffer.from(' '.repeat(10))]));
    const scheme = await createDct(config, (input) => serveRepo(GUN, () => padded)(input));
    const result = await verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT });
    expect(result.outcomes.map((o) => o.error?.code)).toEqual([DCT_CODES.tampered]);
  });
});
