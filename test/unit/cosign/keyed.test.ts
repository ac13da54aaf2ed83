import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixedClock, silentLogger } from '../../../shared/core/index.js';
import { cosignScheme } from '../../../shared/cosign/index.js';
import type { Descriptor } from '../../../shared/oci/index.js';
import type { SchemeDeps } from '../../../shared/scheme/index.js';
import { MemoryEvidenceRegistry } from '../../helpers/cosign/memory-registry.js';
import { simpleSigningPayload } from '../../helpers/cosign/oci.js';

const AT = new Date('2026-11-30T00:00:00Z');
const deps: SchemeDeps = { clock: fixedClock(AT), logger: silentLogger, fetch: () => Promise.reject(new Error('offline')), baseDir: '/nonexistent' };
const subject: Descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 500 };
const repository = { registry: 'registry.example', repository: 'team/app' };
const tag = `sha256-${'c'.repeat(64)}.sig`;
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

function sigLayer(privateKey: KeyObject, hash: string | null, digest = subject.digest) {
  const payload = simpleSigningPayload(digest, 'registry.example/team/app');
  return { payload, annotations: { 'dev.cosignproject.cosign/signature': nodeSign(hash, payload, privateKey).toString('base64') } };
}

async function run(config: unknown, registry: MemoryEvidenceRegistry, trustRoots: string[] = []) {
  const scheme = await cosignScheme.create(config, deps);
  return scheme.verify({ repository, subject, trustRoots, at: AT, signal: new AbortController().signal, registry });
}

describe('keyed cosign signatures (node:crypto keys, no log)', () => {
  it.each([
    ['ECDSA P-256 / SHA-256', () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), 'sha256', undefined],
    ['ECDSA P-384 / SHA-384', () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }), 'sha384', 'sha384'],
    ['ECDSA P-521 / SHA-512', () => generateKeyPairSync('ec', { namedCurve: 'secp521r1' }), 'sha512', 'sha512'],
    ['ECDSA P-384 / SHA-256 (cosign default)', () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }), 'sha256', undefined],
    ['RSA-2048 PKCS#1 v1.5 / SHA-256', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), 'sha256', undefined],
    ['Ed25519', () => generateKeyPairSync('ed25519'), null, undefined],
  ] as const)('%s verifies, and a signature by another key of the type does not', async (_name, keyPair, hash, hashAlgorithm) => {
    const good = keyPair();
    const other = keyPair();
    const registry = new MemoryEvidenceRegistry();
    registry.addSigImage(tag, [sigLayer(good.privateKey, hash), sigLayer(other.privateKey, hash)]);
    const result = await run({ trustRoots: { release: { publicKey: pem(good.publicKey), ...(hashAlgorithm ? { hashAlgorithm } : {}) } } }, registry);
    expect(result.outcomes.map((o) => [o.ok, o.error?.code])).toEqual([
      [true, undefined],
      [false, 'ERR_COSIGN_SIGNATURE'],
    ]);
    expect(result.outcomes[0]?.signer?.subject).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('tries every candidate root; the first that accepts is named, and a refusal lists each root', async () => {
    const a = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const b = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const registry = new MemoryEvidenceRegistry();
    registry.addSigImage(tag, [sigLayer(b.privateKey, 'sha256'), sigLayer(stranger.privateKey, 'sha256')]);
    const config = { trustRoots: { a: { publicKey: pem(a.publicKey) }, b: { publicKey: pem(b.publicKey) } } };
    const result = await run(config, registry);
    expect(result.outcomes[0]).toMatchObject({ ok: true, trustRoot: 'b' });
    expect(result.outcomes[1]).toMatchObject({ ok: false, error: { code: 'ERR_COSIGN_SIGNATURE' }, details: { 'root.a': 'ERR_COSIGN_SIGNATURE', 'root.b': 'ERR_COSIGN_SIGNATURE' } });
    // Only the roots the verification policy names are tried.
    const onlyA = await run(config, registry, ['a']);
    expect(onlyA.outcomes.map((o) => o.ok)).toEqual([false, false]);
  });

  it('a payload bound to another digest fails even with a valid signature', async () => {
    const key = generateKeyPairSync('ed25519');
    const registry = new MemoryEvidenceRegistry();
    registry.addSigImage(tag, [sigLayer(key.privateKey, null, `sha256:${'d'.repeat(64)}`)]);
    const result = await run({ trustRoots: { k: { publicKey: pem(key.publicKey) } } }, registry);
    expect(result.outcomes[0]?.error?.code).toBe('ERR_COSIGN_SUBJECT_MISMATCH');
  });

  it.each([
    ['not JSON', Buffer.from('nope')],
    ['JSON without the simple-signing fields', Buffer.from('{"critical":{"type":"other"}}')],
    ['JSON nested too deep', Buffer.from('{"a":'.repeat(50) + '1' + '}'.repeat(50))],
  ])('a payload that is %s is a failed outcome', async (_name, payload) => {
    const key = generateKeyPairSync('ed25519');
    const registry = new MemoryEvidenceRegistry();
    registry.addSigImage(tag, [{ payload, annotations: { 'dev.cosignproject.cosign/signature': nodeSign(null, payload, key.privateKey).toString('base64') } }]);
    const result = await run({ trustRoots: { k: { publicKey: pem(key.publicKey) } } }, registry);
    expect(result.outcomes).toHaveLength(1);
    expect(result.outcomes[0]?.ok).toBe(false);
    expect(['ERR_COSIGN_MALFORMED', 'ERR_COSIGN_TOO_LARGE']).toContain(result.outcomes[0]?.error?.code);
  });

  it('a .sig manifest without simple-signing layers is one failed outcome; layers of other types are ignored', async () => {
    const registry = new MemoryEvidenceRegistry();
    registry.addSigImage(tag, []);
    const key = generateKeyPairSync('ed25519');
    const result = await run({ trustRoots: { k: { publicKey: pem(key.publicKey) } } }, registry);
    expect(result.outcomes.map((o) => o.error?.code)).toEqual(['ERR_COSIGN_MALFORMED']);
  });
});
