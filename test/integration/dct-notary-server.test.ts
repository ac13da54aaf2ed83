import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DCT_CODES } from '../../shared/dct/index.js';
import type { Descriptor } from '../../shared/oci/index.js';
import type { SchemeResult } from '../../shared/scheme/index.js';
import { dockerRegistryAvailable, startDockerRegistry } from '../helpers/docker-registry.js';
import { freePort } from '../helpers/child-process.js';
import type { DockerRegistry } from '../helpers/docker-registry.js';
import { createNotaryClient } from '../helpers/notary-client.js';
import type { NotaryClient } from '../helpers/notary-client.js';
import { startNotaryProxy } from '../helpers/notary-proxy.js';
import type { NotaryProxy } from '../helpers/notary-proxy.js';
import { createDct, strangerKey, verifyDct } from '../helpers/notary-scheme.js';
import { notaryAvailable, startNotaryServer } from '../helpers/notary-server.js';
import type { NotaryServer } from '../helpers/notary-server.js';
import { getManifest, pushRandomImage } from '../helpers/oci-push.js';

const DAY_MS = 24 * 3600 * 1000;
const REPO = 'app';

/** Real docker-registry + real notary-server, signed by the real `notary` client as `docker trust sign` does. */
describe.skipIf(!(dockerRegistryAvailable() && notaryAvailable()))('Docker Content Trust against notary-server and docker-registry', () => {
  let registry: DockerRegistry;
  let server: NotaryServer;
  let proxy: NotaryProxy;
  let client: NotaryClient;
  let gun: string;
  let rootKeyId: string;

  beforeAll(async () => {
    [registry, server] = await Promise.all([startDockerRegistry(), startNotaryServer()]);
    proxy = await startNotaryProxy(server.url);
    client = await createNotaryClient(server.url);
    gun = `${registry.host}/${REPO}`;
    await client.init(gun);
    rootKeyId = await client.rootKeyId();
  });
  afterAll(async () => {
    await client?.cleanup();
    await proxy?.stop();
    await Promise.all([server?.stop(), registry?.stop()]);
  });

  /** Pushes a random image under `tag` and signs its manifest bytes as that tag (into `role`). */
  async function pushAndSign(tag: string, role?: string): Promise<Descriptor> {
    const subject = await pushRandomImage({ baseUrl: registry.url }, REPO, { tag });
    const manifest = await getManifest({ baseUrl: registry.url }, REPO, subject.digest);
    if (!manifest) throw new Error('pushed manifest vanished');
    await client.sign(gun, tag, manifest.bytes, role);
    return subject;
  }

  const config = (extra: Record<string, unknown> = {}, server = proxy.url) => ({
    trustRoots: {
      main: { rootKeys: [rootKeyId], server, ...extra },
      releases: { rootKeys: [rootKeyId], server, requiredRoles: ['targets/releases'] },
    },
  });

  function only(result: SchemeResult) {
    expect(result.unreachable).toEqual([]);
    expect(result.outcomes).toHaveLength(1);
    return result.outcomes[0] as NonNullable<SchemeResult['outcomes'][0]>;
  }

  it('allows a signed tag whose target is the image manifest, with the metadata expiry', async () => {
    const subject = await pushAndSign('v1');
    const scheme = await createDct(config());
    const outcome = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'v1', subject, trustRoots: ['main'] }));
    expect(outcome).toMatchObject({ scheme: 'dct', evidence: 'targets:v1', trustRoot: 'main', ok: true });
    expect(outcome.details?.targetDigest).toBe(subject.digest);
    expect(outcome.signer?.issuer).toContain(rootKeyId);
    // The server-made timestamp lives 14 days: the earliest expiry of the chain.
    const expires = Date.parse(outcome.expiresAt ?? '');
    expect(expires - Date.now()).toBeGreaterThan(13 * DAY_MS);
    expect(expires - Date.now()).toBeLessThan(15 * DAY_MS);
    expect(scheme.plan({ registry: registry.host, repository: REPO })).toEqual({ kind: 'verify' });
  });

  it('accepts a digest reference without a tag when a target carries that digest, and the root pinned by material', async () => {
    const subject = await pushAndSign('by-digest');
    const rootJson = JSON.parse(await (await fetch(`${server.url}/v2/${gun}/_trust/tuf/root.json`)).text()) as { signed: { keys: Record<string, unknown>; roles: { root: { keyids: string[] } } } };
    const rootKey = rootJson.signed.keys[rootJson.signed.roles.root.keyids[0] ?? ''];
    const scheme = await createDct({ trustRoots: { main: { rootKeys: [rootKey], server: proxy.url } } });
    const outcome = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, subject }));
    expect(outcome).toMatchObject({ evidence: 'targets:by-digest', ok: true });
  });

  it('denies an unsigned tag', async () => {
    const subject = await pushRandomImage({ baseUrl: registry.url }, REPO, { tag: 'unsigned' });
    const scheme = await createDct(config());
    const outcome = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'unsigned', subject, trustRoots: ['main'] }));
    expect(outcome).toMatchObject({ ok: false, error: { code: DCT_CODES.unsigned } });
  });

  it('denies a tag re-pushed after signing (signed digest differs from the manifest)', async () => {
    await pushAndSign('repushed');
    const replaced = await pushRandomImage({ baseUrl: registry.url }, REPO, { tag: 'repushed' });
    const scheme = await createDct(config());
    const outcome = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'repushed', subject: replaced, trustRoots: ['main'] }));
    expect(outcome).toMatchObject({ ok: false, error: { code: DCT_CODES.digestMismatch } });
  });

  it('checks delegations: targets/releases required and not required', async () => {
    await client.addDelegation(gun, 'targets/releases');
    const released = await pushAndSign('released', 'targets/releases');
    const topOnly = await pushAndSign('top-only');
    const scheme = await createDct(config());

    const required = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'released', subject: released, trustRoots: ['releases'] }));
    expect(required).toMatchObject({ evidence: 'targets/releases:released', ok: true });
    expect(required.signer?.subject).toMatch(/^targets\/releases [a-f0-9]{64}$/);

    const notRequired = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'released', subject: released, trustRoots: ['main'] }));
    expect(notRequired).toMatchObject({ evidence: 'targets/releases:released', ok: true });

    const missing = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'top-only', subject: topOnly, trustRoots: ['releases'] }));
    expect(missing).toMatchObject({ evidence: 'targets:top-only', ok: false, error: { code: DCT_CODES.roleMissing } });
    const allowedWithout = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'top-only', subject: topOnly, trustRoots: ['main'] }));
    expect(allowedWithout.ok).toBe(true);
  });

  it('denies once the metadata has expired (clock moved past the timestamp expiry)', async () => {
    const subject = await pushAndSign('expiring');
    const scheme = await createDct(config());
    const outcome = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'expiring', subject, trustRoots: ['main'], at: new Date(Date.now() + 15 * DAY_MS) }));
    expect(outcome).toMatchObject({ ok: false, error: { code: DCT_CODES.expired } });
  });

  it('denies a root that is not signed by the pinned key (by id and by material)', async () => {
    const subject = await pushAndSign('wrong-root');
    for (const pin of ['ab'.repeat(32), strangerKey()]) {
      const scheme = await createDct({ trustRoots: { main: { rootKeys: [pin], server: proxy.url } } });
      const outcome = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'wrong-root', subject }));
      expect(outcome).toMatchObject({ evidence: 'root:wrong-root', ok: false, error: { code: DCT_CODES.wrongRoot } });
    }
  });

  it('is inconclusive (no outcome, an unreachable reason) when the trust server is down', async () => {
    const subject = await pushAndSign('down');
    const scheme = await createDct(config({}, `http://127.0.0.1:${await freePort()}`));
    const result = await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'down', subject, trustRoots: ['main'] });
    expect(result.outcomes).toEqual([]);
    expect(result.unreachable.map((reason) => reason.code)).toEqual([DCT_CODES.unreachable]);
  });

  it('denies tampered metadata served by a proxy (targets re-pointed; root signature altered)', async () => {
    const subject = await pushAndSign('tampered');
    const evil = await pushRandomImage({ baseUrl: registry.url }, REPO, { tag: 'tampered' });
    const scheme = await createDct(config());
    try {
      proxy.setRewrite((path, body) => {
        if (!path.endsWith('/_trust/tuf/targets.json')) return undefined;
        const doc = JSON.parse(body.toString('utf8')) as { signed: { targets: Record<string, { hashes: Record<string, string>; length: number }> } };
        doc.signed.targets.tampered = { hashes: { sha256: Buffer.from(evil.digest.slice(7), 'hex').toString('base64') }, length: evil.size };
        return Buffer.from(JSON.stringify(doc));
      });
      const targets = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'tampered', subject: evil, trustRoots: ['main'] }));
      expect(targets).toMatchObject({ ok: false, error: { code: DCT_CODES.tampered } });

      proxy.setRewrite((path, body) => {
        if (!path.endsWith('/_trust/tuf/root.json')) return undefined;
        const doc = JSON.parse(body.toString('utf8')) as { signed: { version: number } };
        doc.signed.version += 1; // any change to the signed part breaks the signature
        return Buffer.from(JSON.stringify(doc));
      });
      const root = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'tampered', subject, trustRoots: ['main'] }));
      expect(root).toMatchObject({ ok: false, error: { code: DCT_CODES.tampered } });
    } finally {
      proxy.setRewrite(undefined);
    }
  });

  it('follows root rotations done with `notary key rotate` from the originally pinned key (versioned roots)', async () => {
    const rotatedGun = `${registry.host}/rotated`;
    await client.init(rotatedGun);
    const original = await client.rootKeyId();
    const subject = await pushRandomImage({ baseUrl: registry.url }, 'rotated', { tag: 'v1' });
    const manifest = await getManifest({ baseUrl: registry.url }, 'rotated', subject.digest);
    await client.sign(rotatedGun, 'v1', manifest?.bytes ?? Buffer.alloc(0));
    await client.rotateRoot(rotatedGun);
    await client.rotateRoot(rotatedGun);
    const rootJson = JSON.parse(await (await fetch(`${server.url}/v2/${rotatedGun}/_trust/tuf/root.json`)).text()) as { signed: { version: number } };
    expect(rootJson.signed.version).toBe(3);
    const scheme = await createDct({ trustRoots: { main: { rootKeys: [original], server: proxy.url } } });
    const outcome = only(await verifyDct(scheme, { registry: registry.host, repository: 'rotated', tag: 'v1', subject }));
    expect(outcome).toMatchObject({ evidence: 'targets:v1', ok: true });
    expect(outcome.signer?.issuer).toContain(original);
  });

  it('refuses a rollback to older (validly signed) metadata', async () => {
    const subject = await pushAndSign('rollback-1');
    const scheme = await createDct(config());
    expect(only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'rollback-1', subject, trustRoots: ['main'] })).ok).toBe(true);
    const old = new Map(proxy.seen);
    await pushAndSign('rollback-2');
    expect(only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'rollback-1', subject, trustRoots: ['main'] })).ok).toBe(true);
    try {
      proxy.setRewrite((path) => (/\/_trust\/tuf\/(timestamp|snapshot|targets)\.json$/.test(path) ? old.get(path) : undefined));
      const outcome = only(await verifyDct(scheme, { registry: registry.host, repository: REPO, tag: 'rollback-1', subject, trustRoots: ['main'] }));
      expect(outcome).toMatchObject({ ok: false, error: { code: DCT_CODES.rollback } });
    } finally {
      proxy.setRewrite(undefined);
    }
  });
});
