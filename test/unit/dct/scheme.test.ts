import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DCT_CODES } from '../../../shared/dct/index.js';
import type { Descriptor } from '../../../shared/oci/index.js';
import type { SchemeResult } from '../../../shared/scheme/index.js';
import { buildRepo, serveRepo, testTufKey } from '../../helpers/notary-metadata.js';
import type { TestRepoOptions } from '../../helpers/notary-metadata.js';
import { createDct, verifyDct } from '../../helpers/notary-scheme.js';

const AT = new Date('2026-11-30T03:00:00Z');
const REGISTRY = 'registry.test';
const REPO = 'team/app';
const GUN = `${REGISTRY}/${REPO}`;
const SERVER = 'https://notary.test';

const manifest = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
const other = Buffer.from('{"schemaVersion":2,"other":true}');
const subject: Descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${createHash('sha256').update(manifest).digest('hex')}`, size: manifest.length };

const rootKey = testTufKey('ecdsa-x509', 'root');
const keys = { rootKeys: [rootKey], targetsKey: testTufKey('rsa', 'targets'), snapshotKey: testTufKey('ecdsa', 'snapshot'), timestampKey: testTufKey('ed25519', 'timestamp') };
const releasesKey = testTufKey('ecdsa-x509', 'releases');
const stranger = testTufKey('ecdsa', 'stranger');

function config(extra: Record<string, unknown> = {}) {
  return { trustRoots: { main: { rootKeys: [rootKey.id], server: SERVER, ...extra } } };
}

async function run(options: Partial<TestRepoOptions>, tag = 'v1', schemeConfig: unknown = config()): Promise<SchemeResult> {
  const files = buildRepo({ ...keys, targets: {}, ...options });
  const scheme = await createDct(schemeConfig, serveRepo(GUN, () => files));
  return verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag, subject, at: AT });
}

function codes(result: SchemeResult): (string | undefined)[] {
  return result.outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.error?.code));
}

describe('dct scheme over crafted Notary repositories (every key type in one chain)', () => {
  it('allows a tag signed in targets with rsa/ecdsa/ed25519/ecdsa-x509 keys along the chain', async () => {
    const result = await run({ targets: { v1: manifest } });
    expect(result.unreachable).toEqual([]);
    expect(codes(result)).toEqual(['ok']);
    // The root key's certificate (test PKI: valid until 2027-06-01) ends before any metadata does.
    expect(result.outcomes[0]).toMatchObject({ evidence: 'targets:v1', trustRoot: 'main', expiresAt: '2027-06-01T00:00:00.000Z' });
  });

  it('reports a delegation signed by a key its parent does not list, and one below its threshold', async () => {
    const unknown = await run({ delegations: [{ name: 'targets/releases', listed: [releasesKey], signers: [stranger], targets: { v1: manifest } }] });
    expect(codes(unknown)).toEqual([DCT_CODES.delegationKey]);
    expect(unknown.outcomes[0]?.evidence).toBe('targets/releases:v1');

    const second = testTufKey('ecdsa', 'releases-2');
    const below = await run({ delegations: [{ name: 'targets/releases', listed: [releasesKey, second], signers: [releasesKey], threshold: 2, targets: { v1: manifest } }] });
    expect(codes(below)).toEqual([DCT_CODES.delegationKey]);
  });

  it('a failed delegation cannot satisfy a required role, even when targets signed the tag', async () => {
    const result = await run({ targets: { v1: manifest }, delegations: [{ name: 'targets/releases', listed: [releasesKey], signers: [stranger], targets: { v1: manifest } }] }, 'v1', config({ requiredRoles: ['targets/releases'] }));
    expect(codes(result)).toEqual([DCT_CODES.roleMissing, DCT_CODES.delegationKey]);
  });

  it('ignores a delegation for tags outside its paths', async () => {
    const result = await run({ delegations: [{ name: 'targets/releases', listed: [releasesKey], paths: ['prod-'], targets: { v1: manifest } }] });
    expect(codes(result)).toEqual([DCT_CODES.unsigned]);
  });

  it('denies when two roles sign the tag for different manifests', async () => {
    const result = await run({ targets: { v1: manifest }, delegations: [{ name: 'targets/releases', listed: [releasesKey], targets: { v1: other } }] });
    expect(codes(result)).toEqual([DCT_CODES.digestMismatch, DCT_CODES.digestMismatch]);
  });

  it('reports an expired delegation as expired', async () => {
    const result = await run({ delegations: [{ name: 'targets/releases', listed: [releasesKey], targets: { v1: manifest }, expires: '2026-11-01T00:00:00Z' }] });
    expect(codes(result)).toEqual([DCT_CODES.expired]);
  });

  it('accepts a rotated root only when the pinned key signed it (and is pinned by material once root.json drops it)', async () => {
    const newRoot = testTufKey('ecdsa-x509', 'new-root');
    const byMaterial = config({ rootKeys: [rootKey.tuf] });
    expect(codes(await run({ rootKeys: [newRoot], rootSigners: [rootKey, newRoot], targets: { v1: manifest } }, 'v1', byMaterial))).toEqual(['ok']);
    expect(codes(await run({ rootKeys: [rootKey, newRoot], rootSigners: [rootKey, newRoot], targets: { v1: manifest } }))).toEqual(['ok']);
    expect(codes(await run({ rootKeys: [newRoot], rootSigners: [rootKey, newRoot], targets: { v1: manifest } }))).toEqual([DCT_CODES.wrongRoot]);
    expect(codes(await run({ rootKeys: [newRoot], rootSigners: [newRoot], targets: { v1: manifest } }, 'v1', byMaterial))).toEqual([DCT_CODES.wrongRoot]);
  });

  it('walks versioned roots (<n>.root.json) from the pinned root through each rotation', async () => {
    const k2 = testTufKey('ecdsa', 'root-2');
    const k3 = testTufKey('ecdsa-x509', 'root-3');
    const v1 = buildRepo({ ...keys, targets: {}, version: 1 }).get('root') as Buffer;
    const v2 = buildRepo({ ...keys, rootKeys: [k2], rootSigners: [rootKey, k2], targets: {}, version: 2 }).get('root') as Buffer;
    const current = buildRepo({ ...keys, rootKeys: [k3], rootSigners: [k2, k3], targets: { v1: manifest }, version: 3 });
    const verifyWith = async (history: Map<string, Buffer>) => {
      const scheme = await createDct(config(), serveRepo(GUN, () => new Map([...current, ...history])));
      return codes(await verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT }));
    };
    // Failures first: a verified walk is remembered per current root and pins.
    expect(await verifyWith(new Map([['1.root', v1]]))).toEqual([DCT_CODES.wrongRoot]);
    const v2ByStranger = buildRepo({ ...keys, rootKeys: [k2], rootSigners: [stranger, k2], targets: {}, version: 2 }).get('root') as Buffer;
    expect(await verifyWith(new Map([['1.root', v1], ['2.root', v2ByStranger]]))).toEqual([DCT_CODES.wrongRoot]);
    expect(await verifyWith(new Map([['1.root', v1], ['2.root', v2]]))).toEqual(['ok']);
  });

  it('refuses a lower version than one seen before (per gun and role)', async () => {
    let files = buildRepo({ ...keys, targets: { v1: manifest }, version: 5 });
    const scheme = await createDct(config(), serveRepo(GUN, () => files));
    expect(codes(await verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT }))).toEqual(['ok']);
    files = buildRepo({ ...keys, targets: { v1: manifest }, version: 4 });
    expect(codes(await verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT }))).toEqual([DCT_CODES.rollback]);
  });

  it('refuses a root that the snapshot does not pin (mix-and-match)', async () => {
    const good = buildRepo({ ...keys, targets: { v1: manifest } });
    const otherRoot = buildRepo({ ...keys, targets: {}, expires: '2031-01-01T00:00:00Z' }).get('root') as Buffer;
    const scheme = await createDct(config(), serveRepo(GUN, () => new Map([...good, ['root', otherRoot]])));
    expect(codes(await verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT }))).toEqual([DCT_CODES.tampered]);
  });

  it('says "no trust data" for a gun the server does not know, and plans none outside its repositories', async () => {
    const scheme = await createDct(config({ repositories: [`${REGISTRY}/team/*`] }), serveRepo('elsewhere/x', () => new Map()));
    expect(codes(await verifyDct(scheme, { registry: REGISTRY, repository: REPO, tag: 'v1', subject, at: AT }))).toEqual([DCT_CODES.noTrustData]);
    expect(scheme.plan({ registry: REGISTRY, repository: 'other/app' })).toEqual({ kind: 'none' });
    expect(scheme.plan({ registry: REGISTRY, repository: REPO })).toEqual({ kind: 'verify' });
  });
});

describe('dct scheme over real notary 0.7 trust data (fixtures)', () => {
  const fixtureGun = '127.0.0.1:5000/app';
  const files = new Map(['root', 'timestamp', 'snapshot', 'targets', 'targets/releases'].map((role) => [role, readFileSync(new URL(`../../fixtures/dct/${role.replace('/', '-')}.json`, import.meta.url))]));
  const hello = (n: number): Descriptor => {
    const bytes = Buffer.from(`{"hello":${n}}\n`);
    return { mediaType: 'application/json', digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length };
  };

  it('verifies a targets tag and a targets/releases tag against the pinned canonical root id', async () => {
    const root = 'e61d8fd37456271836a6f5ba2512760153993353febdeeca1a95f1e61e914c21';
    const scheme = await createDct({ trustRoots: { top: { rootKeys: [root], server: SERVER }, rel: { rootKeys: [root], server: SERVER, requiredRoles: ['targets/releases'] } } }, serveRepo(fixtureGun, () => files));
    const at = AT;
    const v1 = await verifyDct(scheme, { registry: '127.0.0.1:5000', repository: 'app', tag: 'v1', subject: hello(1), at, trustRoots: ['top'] });
    expect(codes(v1)).toEqual(['ok']);
    expect(v1.outcomes[0]?.expiresAt).toBe('2026-12-14T02:17:25.396Z');
    const v2 = await verifyDct(scheme, { registry: '127.0.0.1:5000', repository: 'app', tag: 'v2', subject: hello(2), at, trustRoots: ['rel'] });
    expect(codes(v2)).toEqual(['ok']);
    const v1rel = await verifyDct(scheme, { registry: '127.0.0.1:5000', repository: 'app', tag: 'v1', subject: hello(1), at, trustRoots: ['rel'] });
    expect(codes(v1rel)).toEqual([DCT_CODES.roleMissing]);
  });
});
