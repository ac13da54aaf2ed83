import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, silentLogger } from '../../shared/core/index.js';
import { cosignScheme } from '../../shared/cosign/index.js';
import { RegistryClient } from '../../shared/oci/index.js';
import type { Descriptor, RepositoryRef } from '../../shared/oci/index.js';
import type { EvidenceScheme, SchemeResult } from '../../shared/scheme/index.js';
import { dockerRegistryAvailable, startDockerRegistry, type DockerRegistry } from '../helpers/docker-registry.js';
import { pushRandomImage, type PushTarget } from '../helpers/oci-push.js';
import { testEvidenceRegistry } from '../helpers/cosign/evidence-registry.js';
import { legacyAnnotations, pushBundleReferrer, pushSigImage, signStatement, simpleSigningPayload } from '../helpers/cosign/oci.js';
import { bundleJson, createSigstoreWorld, type SigstoreWorld } from '../helpers/cosign/sigstore-world.js';

// Real docker-registry 2.8 (no referrers API: bundle referrers are found through the sha256-<hex> tag index),
// a private Sigstore (mock Fulcio/Rekor/TSA from @sigstore/mock, bundles assembled by @sigstore/sign).
const available = dockerRegistryAvailable();
const REPO = 'team/app';
const GOOD = { subject: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' };

describe.skipIf(!available)('cosign scheme against docker-registry 2.8 (skipped when docker-registry is not installed)', () => {
  let registry: DockerRegistry;
  let target: PushTarget;
  let client: RegistryClient;
  let repository: RepositoryRef;
  let world: SigstoreWorld;
  let otherWorld: SigstoreWorld;
  let dir: string;
  let scheme: EvidenceScheme;
  let releaseKey: { publicKey: KeyObject; privateKey: KeyObject };
  let otherKey: { publicKey: KeyObject; privateKey: KeyObject };

  beforeAll(async () => {
    registry = await startDockerRegistry();
    target = { baseUrl: registry.url };
    client = new RegistryClient({ plainHttp: [registry.host], retries: 0 });
    repository = { registry: registry.host, repository: REPO };
    // The mock CA's root is valid from "now": sign a minute later so every certificate sits inside it.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_000);
    world = await createSigstoreWorld(at);
    otherWorld = await createSigstoreWorld(at);
    releaseKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    dir = await mkdtemp(join(tmpdir(), 'trustgate-cosign-'));
    await writeFile(join(dir, 'trusted_root.json'), world.trustedRootJson);
    await writeFile(join(dir, 'release.pub'), releaseKey.publicKey.export({ type: 'spki', format: 'pem' }));
    scheme = await cosignScheme.create(
      {
        trustRoots: {
          release: { publicKey: { file: 'release.pub' } },
          'release-logged': { publicKey: { file: 'release.pub' }, trustedRoot: { file: 'trusted_root.json' }, tlog: { threshold: 1 } },
          github: { keyless: { trustedRoot: { file: 'trusted_root.json' }, identities: [{ issuer: GOOD.issuer, subjectRegExp: 'https://github\\.com/acme/.+' }] } },
        },
      },
      { clock: fixedClock(at), logger: silentLogger, fetch: () => Promise.reject(new Error('no network')), baseDir: dir },
    );
  });
  afterAll(async () => {
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function verify(subject: Descriptor, trustRoots: string[] = []): Promise<SchemeResult> {
    const registryView = testEvidenceRegistry({ client, repository, subject });
    return scheme.verify({ repository, subject, trustRoots, at: world.at, signal: new AbortController().signal, registry: registryView });
  }

  const reference = () => `${registry.host}/${REPO}`;

  function failure(result: SchemeResult) {
    expect(result.unreachable).toEqual([]);
    expect(result.outcomes).toHaveLength(1);
    const [outcome] = result.outcomes;
    expect(outcome?.ok).toBe(false);
    expect(outcome?.trustRoot).toBeUndefined();
    return outcome?.error?.code;
  }

  async function keylessSig(image: Descriptor, options: { identity?: typeof GOOD; by?: SigstoreWorld; digest?: string; tlog?: boolean; tlogDelayMs?: number; rekorOf?: SigstoreWorld; tsa?: boolean; edit?: (a: Record<string, string>) => void } = {}): Promise<void> {
    const payload = simpleSigningPayload(options.digest ?? image.digest, reference());
    const bundle = await (options.by ?? world).signKeyless({ kind: 'message', data: payload }, options.identity ?? GOOD, { ...(options.tlog === false ? { tlog: false } : {}), ...(options.tlogDelayMs ? { tlogDelayMs: options.tlogDelayMs } : {}), ...(options.rekorOf ? { rekorOf: options.rekorOf } : {}), ...(options.tsa ? { tsa: true } : {}) });
    const annotations = legacyAnnotations(bundle);
    options.edit?.(annotations);
    await pushSigImage(target, REPO, image, [{ payload, annotations }]);
  }

  async function keylessBundle(image: Descriptor, options: { identity?: typeof GOOD; by?: SigstoreWorld; digest?: string; tlog?: boolean; tlogDelayMs?: number; edit?: (b: Record<string, unknown>) => void } = {}): Promise<Descriptor> {
    const bundle = await (options.by ?? world).signKeyless({ kind: 'dsse', data: signStatement(options.digest ?? image.digest, reference()) }, options.identity ?? GOOD, { ...(options.tlog === false ? { tlog: false } : {}), ...(options.tlogDelayMs ? { tlogDelayMs: options.tlogDelayMs } : {}) });
    const json = JSON.parse(bundleJson(bundle)) as Record<string, unknown>;
    options.edit?.(json);
    return pushBundleReferrer(target, REPO, image, JSON.stringify(json));
  }

  async function keyedSig(image: Descriptor, key: KeyObject, options: { digest?: string; hash?: string | null } = {}): Promise<void> {
    const payload = simpleSigningPayload(options.digest ?? image.digest, reference());
    const hash = options.hash === undefined ? 'sha256' : options.hash;
    await pushSigImage(target, REPO, image, [{ payload, annotations: { 'dev.cosignproject.cosign/signature': nodeSign(hash, payload, key).toString('base64') } }]);
  }

  describe('valid evidence is accepted', () => {
    it('keyless .sig signature: Fulcio chain, identity regexp, Rekor SET; signedAt is the logged time', async () => {
      const image = await pushRandomImage(target, REPO);
      await keylessSig(image);
      const result = await verify(image);
      expect(result.unreachable).toEqual([]);
      expect(result.outcomes).toHaveLength(1);
      expect(result.outcomes[0]).toMatchObject({ scheme: 'cosign', ok: true, trustRoot: 'github', signer: { subject: GOOD.subject, issuer: GOOD.issuer }, signedAt: world.at.toISOString() });
      expect(result.outcomes[0]?.checks.map((c) => `${c.name}:${c.action}:${c.ok}`)).toEqual(['format:enforce:true', 'subject:enforce:true', 'docker-reference:log:true', 'signature:enforce:true', 'certificate:enforce:true', 'tlog:enforce:true', 'ctlog:skip:true', 'timestamp:enforce:true', 'identity:enforce:true']);
    });

    it('keyless bundle referrer (DSSE in-toto, found through the tag-schema index)', async () => {
      const image = await pushRandomImage(target, REPO);
      const referrer = await keylessBundle(image);
      const result = await verify(image);
      expect(result.outcomes).toHaveLength(1);
      expect(result.outcomes[0]).toMatchObject({ ok: true, evidence: referrer.digest, trustRoot: 'github', details: { predicateType: 'https://sigstore.dev/cosign/sign/v1' } });
    });

    it('keyed .sig signature without a log (key root without trusted root); the tlog check is skipped', async () => {
      const image = await pushRandomImage(target, REPO);
      await keyedSig(image, releaseKey.privateKey);
      const result = await verify(image, ['release']);
      expect(result.outcomes[0]).toMatchObject({ ok: true, trustRoot: 'release' });
      expect(result.outcomes[0]?.checks.find((c) => c.name === 'tlog')).toEqual({ name: 'tlog', action: 'skip', ok: true });
    });

    it('keyed .sig signature logged in Rekor, against a root that requires the log', async () => {
      const image = await pushRandomImage(target, REPO);
      const payload = simpleSigningPayload(image.digest, reference());
      const bundle = await world.signKeyed({ kind: 'message', data: payload }, releaseKey.privateKey);
      await pushSigImage(target, REPO, image, [{ payload, annotations: legacyAnnotations(bundle) }]);
      const result = await verify(image, ['release-logged']);
      expect(result.outcomes[0], JSON.stringify(result.outcomes[0])).toMatchObject({ ok: true, trustRoot: 'release-logged', signedAt: world.at.toISOString() });
    });

    it('keyed bundle referrer (DSSE, logged)', async () => {
      const image = await pushRandomImage(target, REPO);
      const bundle = await world.signKeyed({ kind: 'dsse', data: signStatement(image.digest, reference()) }, releaseKey.privateKey);
      await pushBundleReferrer(target, REPO, image, bundleJson(bundle));
      const result = await verify(image, ['release-logged']);
      expect(result.outcomes[0]).toMatchObject({ ok: true, trustRoot: 'release-logged' });
    });

    it('a docker-reference naming another repository is reported by a log check, and does not fail the evidence', async () => {
      const image = await pushRandomImage(target, REPO);
      const payload = simpleSigningPayload(image.digest, 'ghcr.io/someone/else');
      const bundle = await world.signKeyless({ kind: 'message', data: payload }, GOOD);
      await pushSigImage(target, REPO, image, [{ payload, annotations: legacyAnnotations(bundle) }]);
      const [outcome] = (await verify(image)).outcomes;
      expect(outcome?.ok).toBe(true);
      expect(outcome?.checks.find((c) => c.name === 'docker-reference')).toMatchObject({ action: 'log', ok: false, error: { code: 'ERR_COSIGN_REFERENCE_MISMATCH' } });
    });
  });

  describe('bad evidence is a failed outcome with a stable code', () => {
    it.each([
      ['wrong key (.sig)', async (image: Descriptor) => keyedSig(image, otherKey.privateKey), ['release'], 'ERR_COSIGN_SIGNATURE'],
      ['wrong key (bundle)', async (image: Descriptor) => { await pushBundleReferrer(target, REPO, image, bundleJson(await world.signKeyed({ kind: 'dsse', data: signStatement(image.digest, reference()) }, otherKey.privateKey))); }, ['release-logged'], 'ERR_COSIGN_SIGNATURE'],
      ['wrong identity (.sig)', async (image: Descriptor) => keylessSig(image, { identity: { ...GOOD, subject: 'https://github.com/mallory/app/.github/workflows/x.yml@refs/heads/main' } }), [], 'ERR_COSIGN_IDENTITY'],
      ['identity regexp is anchored (.sig)', async (image: Descriptor) => keylessSig(image, { identity: { ...GOOD, subject: 'evil:https://github.com/acme/app' } }), [], 'ERR_COSIGN_IDENTITY'],
      ['wrong issuer (bundle)', async (image: Descriptor) => { await keylessBundle(image, { identity: { ...GOOD, issuer: 'https://accounts.google.com' } }); }, [], 'ERR_COSIGN_IDENTITY'],
      ['payload for another digest (.sig)', async (image: Descriptor) => keylessSig(image, { digest: `sha256:${'a'.repeat(64)}` }), [], 'ERR_COSIGN_SUBJECT_MISMATCH'],
      ['statement for another digest (bundle)', async (image: Descriptor) => { await keylessBundle(image, { digest: `sha256:${'b'.repeat(64)}` }); }, [], 'ERR_COSIGN_SUBJECT_MISMATCH'],
      ['tampered signature, keyed (.sig)', async (image: Descriptor) => {
        const payload = simpleSigningPayload(image.digest, reference());
        const sig = nodeSign('sha256', payload, releaseKey.privateKey);
        flip(sig, sig.length - 1);
        await pushSigImage(target, REPO, image, [{ payload, annotations: { 'dev.cosignproject.cosign/signature': sig.toString('base64') } }]);
      }, ['release'], 'ERR_COSIGN_SIGNATURE'],
      ['tampered signature, keyless: no longer the logged one (.sig)', async (image: Descriptor) => keylessSig(image, { edit: (a) => { const sig = Buffer.from(a['dev.cosignproject.cosign/signature'] ?? '', 'base64'); flip(sig, 10); a['dev.cosignproject.cosign/signature'] = sig.toString('base64'); } }), [], 'ERR_COSIGN_TLOG_INVALID'],
      ['tampered DSSE payload (bundle)', async (image: Descriptor) => { await keylessBundle(image, { edit: (b) => { const env = b.dsseEnvelope as { payload: string }; env.payload = signStatement(image.digest, 'other/name').toString('base64'); } }); }, [], 'ERR_COSIGN_TLOG_INVALID'],
      ['missing tlog proof (.sig without Rekor bundle)', async (image: Descriptor) => keylessSig(image, { tlog: false }), [], 'ERR_COSIGN_TLOG_MISSING'],
      ['missing tlog proof (bundle without entries)', async (image: Descriptor) => { await keylessBundle(image, { tlog: false }); }, [], 'ERR_COSIGN_TLOG_MISSING'],
      ['invalid SET (.sig)', async (image: Descriptor) => keylessSig(image, { edit: (a) => { const b = JSON.parse(a['dev.sigstore.cosign/bundle'] ?? '{}') as { SignedEntryTimestamp: string }; const set = Buffer.from(b.SignedEntryTimestamp, 'base64'); flip(set, set.length - 2); b.SignedEntryTimestamp = set.toString('base64'); a['dev.sigstore.cosign/bundle'] = JSON.stringify(b); } }), [], 'ERR_COSIGN_TLOG_INVALID'],
      ['entry in an untrusted Rekor (.sig)', async (image: Descriptor) => keylessSig(image, { rekorOf: otherWorld }), [], 'ERR_COSIGN_TLOG_INVALID'],
      ['invalid inclusion promise (bundle)', async (image: Descriptor) => { await keylessBundle(image, { edit: (b) => { const entry = (b.verificationMaterial as { tlogEntries: Array<{ inclusionPromise: { signedEntryTimestamp: string } }> }).tlogEntries[0]; if (entry) { const set = Buffer.from(entry.inclusionPromise.signedEntryTimestamp, 'base64'); flip(set, set.length - 2); entry.inclusionPromise.signedEntryTimestamp = set.toString('base64'); } } }); }, [], 'ERR_COSIGN_TLOG_INVALID'],
      ['certificate expired at signing time (.sig logged 20 min after issuance)', async (image: Descriptor) => keylessSig(image, { tlogDelayMs: 20 * 60_000 }), [], 'ERR_COSIGN_CERT_VALIDITY'],
      ['certificate expired at signing time (bundle)', async (image: Descriptor) => { await keylessBundle(image, { tlogDelayMs: 20 * 60_000 }); }, [], 'ERR_COSIGN_CERT_VALIDITY'],
      ['untrusted Fulcio root (.sig)', async (image: Descriptor) => keylessSig(image, { by: otherWorld, rekorOf: world }), [], 'ERR_COSIGN_CERT_CHAIN'],
      ['untrusted Fulcio root (bundle)', async (image: Descriptor) => { await keylessBundle(image, { by: otherWorld }); }, [], 'ERR_COSIGN_CERT_CHAIN'],
      ['keyless evidence when only a key root is asked for', async (image: Descriptor) => keylessSig(image), ['release'], 'ERR_COSIGN_NO_TRUST_ROOT'],
      ['malformed: signature annotation is not base64', async (image: Descriptor) => keylessSig(image, { edit: (a) => { a['dev.cosignproject.cosign/signature'] = '%%%'; } }), [], 'ERR_COSIGN_MALFORMED'],
      ['malformed: certificate annotation is not a certificate', async (image: Descriptor) => keylessSig(image, { edit: (a) => { a['dev.sigstore.cosign/certificate'] = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'; } }), [], 'ERR_COSIGN_MALFORMED'],
      ['oversized annotation', async (image: Descriptor) => keylessSig(image, { edit: (a) => { a['dev.sigstore.cosign/chain'] = 'x'.repeat(70 * 1024); } }), [], 'ERR_COSIGN_TOO_LARGE'],
      ['chain longer than 10 certificates', async (image: Descriptor) => keylessSig(image, { edit: (a) => { a['dev.sigstore.cosign/chain'] = (a['dev.sigstore.cosign/certificate'] ?? '').repeat(11); } }), [], 'ERR_COSIGN_TOO_LARGE'],
      ['malformed bundle JSON', async (image: Descriptor) => { await pushBundleReferrer(target, REPO, image, '{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "verificationMaterial": 7}'); }, [], 'ERR_COSIGN_MALFORMED'],
      ['bundle nested too deep', async (image: Descriptor) => { await pushBundleReferrer(target, REPO, image, `${'['.repeat(200)}${']'.repeat(200)}`); }, [], 'ERR_COSIGN_TOO_LARGE'],
      ['oversized bundle (refused before it is read)', async (image: Descriptor) => { await pushBundleReferrer(target, REPO, image, Buffer.alloc(1024 * 1024 + 1, 0x20)); }, [], 'ERR_COSIGN_TOO_LARGE'],
    ] as const)('%s', async (_name, arrange, roots, code) => {
      const image = await pushRandomImage(target, REPO);
      await arrange(image);
      expect(failure(await verify(image, [...roots]))).toBe(code);
    });

    it('a .sig image with more than 32 layers is one failed outcome', async () => {
      const image = await pushRandomImage(target, REPO);
      const payload = simpleSigningPayload(image.digest, reference());
      const annotations = { 'dev.cosignproject.cosign/signature': nodeSign('sha256', payload, releaseKey.privateKey).toString('base64') };
      await pushSigImage(target, REPO, image, Array.from({ length: 33 }, () => ({ payload, annotations })));
      expect(failure(await verify(image, ['release']))).toBe('ERR_COSIGN_TOO_LARGE');
    });
  });

  it('an image with no cosign evidence yields no outcome and nothing unreachable', async () => {
    const image = await pushRandomImage(target, REPO);
    expect(await verify(image)).toEqual({ outcomes: [], unreachable: [] });
  });

  it('an unreachable registry is an unreachable reason, not a failed outcome', async () => {
    const image = await pushRandomImage(target, REPO);
    await keylessSig(image);
    const down = new RegistryClient({ plainHttp: ['127.0.0.1:9'], retries: 0 });
    const result = await scheme.verify({ repository: { registry: '127.0.0.1:9', repository: REPO }, subject: image, trustRoots: [], at: world.at, signal: new AbortController().signal, registry: testEvidenceRegistry({ client: down, repository: { registry: '127.0.0.1:9', repository: REPO }, subject: image }) });
    expect(result.outcomes).toEqual([]);
    expect(result.unreachable.map((r) => r.code)).toEqual(['ERR_REGISTRY_CONNECTION', 'ERR_REGISTRY_CONNECTION']);
  });
});

/** Flips the low bit of one byte (tampering that keeps the encoding valid). */
function flip(bytes: Buffer, index: number): void {
  bytes.writeUInt8(bytes.readUInt8(index) ^ 0x01, index);
}
