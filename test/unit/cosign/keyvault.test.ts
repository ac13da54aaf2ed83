import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock, memoryLogger, type FetchLike } from '../../../shared/core/index.js';
import { cosignScheme } from '../../../shared/cosign/index.js';
import type { Descriptor } from '../../../shared/oci/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { MemoryEvidenceRegistry } from '../../helpers/cosign/memory-registry.js';
import { simpleSigningPayload } from '../../helpers/cosign/oci.js';

const VAULT = 'https://acme-signing.vault.azure.net';
const subject: Descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'9'.repeat(64)}`, size: 10 };
const repository = { registry: 'registry.example', repository: 'team/app' };

/** A fake Key Vault speaking the REST shape: GET /keys/{name}?api-version=7.4 → {key: JWK, attributes}. */
function fakeVault(state: { key: KeyObject | undefined; enabled?: boolean; status?: number }): FetchLike & { calls: string[] } {
  const calls: string[] = [];
  const fetch = async (input: string | URL) => {
    const url = new URL(input);
    calls.push(`${url.pathname}?${url.searchParams.toString()}`);
    if (state.status || !state.key) return new Response('{"error":{"code":"Forbidden"}}', { status: state.status ?? 404 });
    const jwk = state.key.export({ format: 'jwk' });
    const kty = jwk.kty === 'EC' ? 'EC-HSM' : jwk.kty;
    return Response.json({ key: { kid: `${VAULT}/keys/cosign/v1`, kty, key_ops: ['sign', 'verify'], ...jwk }, attributes: { enabled: state.enabled ?? true } });
  };
  return Object.assign(fetch, { calls });
}

function sigImage(privateKey: KeyObject): MemoryEvidenceRegistry {
  const payload = simpleSigningPayload(subject.digest, 'registry.example/team/app');
  const registry = new MemoryEvidenceRegistry();
  registry.addSigImage(`sha256-${'9'.repeat(64)}.sig`, [{ payload, annotations: { 'dev.cosignproject.cosign/signature': nodeSign('sha256', payload, privateKey).toString('base64') } }]);
  return registry;
}

describe('keyed roots from Azure Key Vault (public part, refreshed)', () => {
  const config = { trustRoots: { vault: { keyVault: { vaultUrl: VAULT, name: 'cosign', refreshSeconds: 600 } } } };

  it('verifies with the vault key, follows a rotation after the refresh period, and changes the fingerprint', async () => {
    const first = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const second = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const state: { key: KeyObject | undefined } = { key: first.publicKey };
    const fetch = fakeVault(state);
    const clock = new ManualClock('2026-11-30T00:00:00Z');
    const scheme = await cosignScheme.create(config, { clock, logger: memoryLogger(), fetch, baseDir: '/' });
    const verify = (registry: MemoryEvidenceRegistry) => scheme.verify({ repository, subject, trustRoots: [], at: clock.now(), signal: new AbortController().signal, registry });
    expect(fetch.calls).toEqual(['/keys/cosign?api-version=7.4']);
    expect((await verify(sigImage(first.privateKey))).outcomes[0]).toMatchObject({ ok: true, trustRoot: 'vault' });
    const before = await scheme.fingerprint();

    state.key = second.publicKey;
    clock.advance(599_000);
    expect(await scheme.fingerprint()).toBe(before); // not due yet: no read
    expect(scheme.currentFingerprint?.()).toBe(before);
    expect(fetch.calls).toHaveLength(1);
    clock.advance(2_000);
    expect(scheme.currentFingerprint?.()).toBeUndefined(); // due: only fingerprint() may answer, after the read
    expect(await scheme.fingerprint()).not.toBe(before);
    expect(scheme.currentFingerprint?.()).toBe(await scheme.fingerprint());
    expect(fetch.calls).toHaveLength(2);
    expect((await verify(sigImage(first.privateKey))).outcomes[0]?.error?.code).toBe('ERR_COSIGN_SIGNATURE');
    expect((await verify(sigImage(second.privateKey))).outcomes[0]).toMatchObject({ ok: true });
  });

  it('a failed refresh keeps the key in use, logs, and retries a minute later', async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
    const state: { key: KeyObject | undefined; status?: number } = { key: key.publicKey };
    const fetch = fakeVault(state);
    const clock = new ManualClock('2026-11-30T00:00:00Z');
    const logger = memoryLogger();
    const scheme = await cosignScheme.create(config, { clock, logger, fetch, baseDir: '/' });
    const before = await scheme.fingerprint();
    state.status = 503;
    clock.advance(601_000);
    const registry = sigImage(key.privateKey);
    expect((await scheme.verify({ repository, subject, trustRoots: [], at: clock.now(), signal: new AbortController().signal, registry })).outcomes[0]?.ok).toBe(true);
    expect(await scheme.fingerprint()).toBe(before);
    expect(logger.entries.map((e) => e.event)).toContain('cosign.keyvault.refresh_failed');
    expect(fetch.calls).toHaveLength(2);
    clock.advance(30_000);
    await scheme.fingerprint();
    expect(fetch.calls).toHaveLength(2);
    clock.advance(31_000);
    await scheme.fingerprint();
    expect(fetch.calls).toHaveLength(3);
  });

  it.each([
    ['the vault cannot be read', { key: undefined, status: 403 }],
    ['the key is disabled', { key: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey, enabled: false }],
    ['the key is too weak', { key: generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey }],
  ])('refuses to build when %s (ERR_COSIGN_KEYVAULT, inconclusive)', async (_name, state) => {
    await expectAppError(cosignScheme.create(config, { clock: new ManualClock('2026-11-30T00:00:00Z'), logger: memoryLogger(), fetch: fakeVault(state), baseDir: '/' }), 'ERR_COSIGN_KEYVAULT', 'inconclusive');
  });

  it('validates the vault reference: https only (loopback http for tests), one of publicKey/keyVault', async () => {
    const deps = { clock: new ManualClock('2026-11-30T00:00:00Z'), logger: memoryLogger(), fetch: fakeVault({ key: undefined }), baseDir: '/' };
    const error = await expectAppError(cosignScheme.create({ trustRoots: { a: { keyVault: { vaultUrl: 'http://evil.example', name: 'k' } }, b: { keyVault: { vaultUrl: VAULT, name: 'k' }, publicKey: 'x' } } }, deps), 'ERR_COSIGN_CONFIG');
    expect(error.details?.problems).toEqual([expect.stringMatching(/^trustRoots\.a\.keyVault\.vaultUrl/), expect.stringMatching(/^trustRoots\.b: give exactly one of publicKey, keyVault/)]);
  });
});
