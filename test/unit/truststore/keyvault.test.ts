import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, memoryLogger } from '../../../shared/core/index.js';
import { KeyVaultTrustStore } from '../../../shared/truststore/keyvault.js';
import type { KeyVaultTrustStoreOptions } from '../../../shared/truststore/keyvault.js';
import { TrustStoreError } from '../../../shared/truststore/errors.js';
import { createChain, PKI_NOW } from '../../helpers/pki/index.js';
import type { TestChain } from '../../helpers/pki/index.js';
import { StaticTokenCredential } from '../../fakes/keyvault/credential.js';
import { buildPfx } from '../../fakes/keyvault/pfx.js';
import { startFakeKeyVault } from '../../fakes/keyvault/server.js';
import type { FakeCertificateVersion, FakeKeyVault } from '../../fakes/keyvault/server.js';
import { expectAppError } from '../../helpers/expect-error.js';

const TOKEN = 'static-test-token';
let vault: FakeKeyVault;
let credential: StaticTokenCredential;

beforeEach(async () => {
  vault = await startFakeKeyVault(TOKEN);
  credential = new StaticTokenCredential(TOKEN);
});
afterEach(async () => {
  await vault.close();
});

const chains = new Map<string, TestChain>();
/** A memoised chain per label (root → intermediate → leaf); distinct labels give distinct keys and names. */
function chain(label: string): TestChain {
  let found = chains.get(label);
  if (found === undefined) chains.set(label, (found = createChain({ prefix: label, keyType: 'ec-p256' })));
  return found;
}

/** A certificate version whose secret is Key Vault's PEM: the leaf's private key, then leaf, intermediate, root. */
function version(label: string, versionId: string, createdDaysAgo: number, extra: Partial<FakeCertificateVersion> = {}): FakeCertificateVersion {
  const c = chain(label);
  const key = c.leaf.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return {
    version: versionId,
    created: new Date(PKI_NOW.getTime() - createdDaysAgo * 86_400_000),
    leaf: c.leaf.der,
    pem: key + c.certs.map((cert) => cert.pem).join(''),
    pfxBase64: buildPfx(c.ders, c.leaf.privateKey).toString('base64'),
    ...extra,
  };
}

function store(options: Partial<KeyVaultTrustStoreOptions> = {}, clock = new ManualClock(PKI_NOW)) {
  const logger = memoryLogger();
  const trustStore = new KeyVaultTrustStore({
    vaultUrl: vault.url,
    credential,
    stores: { 'ca:prod': [{ certificate: 'signing' }] },
    clock,
    logger,
    ...options,
  });
  return { trustStore, logger, clock };
}

const subjects = (certs: readonly { subject: string }[]) => certs.map((c) => c.subject.split('\n')[0]).sort();

describe('KeyVaultTrustStore', () => {
  it('answers the 401 challenge with the credential and trusts the CA certificates of the secret chain', async () => {
    vault.certificates.set('signing', [version('A', 'a1', 1)]);
    const { trustStore, logger } = store();
    expect(subjects(await trustStore.getCertificates('ca', 'prod'))).toEqual(['CN=A Intermediate 1', 'CN=A Root']);
    expect(credential.scopes).toContain('https://vault.azure.net/.default');
    expect(vault.requests.some((r) => !r.authorized)).toBe(true);
    expect(vault.requests.filter((r) => r.path.startsWith('/secrets/')).every((r) => r.query.get('outContentType') === 'application/x-pem-file')).toBe(true);
    expect(logger.entries).toEqual([expect.objectContaining({ event: 'truststore.keyvault_certificate_skipped', fields: expect.objectContaining({ code: 'ERR_TRUST_STORE_CERT_NOT_CA' }) })]);
  });

  it('keeps the newest enabled version and keepPreviousVersions older ones, following the listing pages', async () => {
    vault.certificates.set('signing', [version('A', 'a1', 30), version('B', 'b1', 20), version('C', 'c1', 10, { enabled: false }), version('D', 'd1', 5), version('E', 'e1', 40)]);
    const { trustStore } = store({ keepPreviousVersions: 1, stores: { 'tsa:ts': [{ certificate: 'signing' }] } });
    expect(subjects(await trustStore.getCertificates('tsa', 'ts'))).toEqual(['CN=B Root', 'CN=D Root']);
  });

  it('reads only a pinned version', async () => {
    vault.certificates.set('signing', [version('A', 'a1', 30), version('B', 'b1', 20)]);
    const { trustStore } = store({ stores: { 'tsa:ts': [{ certificate: 'signing', version: 'a1' }] } });
    expect(subjects(await trustStore.getCertificates('tsa', 'ts'))).toEqual(['CN=A Root']);
    expect(vault.requests.some((r) => r.path.endsWith('/versions'))).toBe(false);
  });

  it('trusts only root CAs in a tsa store', async () => {
    vault.certificates.set('signing', [version('A', 'a1', 1)]);
    const { trustStore } = store({ stores: { 'tsa:ts': [{ certificate: 'signing' }] } });
    expect(subjects(await trustStore.getCertificates('tsa', 'ts'))).toEqual(['CN=A Root']);
  });

  it('reads certificates from a PFX secret and ignores its key', async () => {
    vault.ignoreOutContentType = true;
    vault.certificates.set('signing', [version('A', 'a1', 1)]);
    const { trustStore } = store();
    expect(subjects(await trustStore.getCertificates('ca', 'prod'))).toEqual(['CN=A Intermediate 1', 'CN=A Root']);
  });

  it('picks up a rotation on refresh(), dropping versions past keepPreviousVersions, and changes the fingerprint', async () => {
    vault.certificates.set('signing', [version('A', 'a1', 30), version('B', 'b1', 20)]);
    const { trustStore } = store({ keepPreviousVersions: 1, stores: { 'tsa:ts': [{ certificate: 'signing' }] } });
    const before = await trustStore.fingerprint();
    await trustStore.refresh();
    expect(await trustStore.fingerprint()).toBe(before);
    vault.certificates.get('signing')?.push(version('C', 'c1', 1));
    await trustStore.refresh();
    expect(subjects(await trustStore.getCertificates('tsa', 'ts'))).toEqual(['CN=B Root', 'CN=C Root']);
    expect(await trustStore.fingerprint()).not.toBe(before);
  });

  it('re-reads Key Vault when a lookup comes after the refresh interval, not before', async () => {
    vault.certificates.set('signing', [version('A', 'a1', 1)]);
    const { trustStore, clock } = store({ refreshIntervalMs: 60_000 });
    await trustStore.getCertificates('ca', 'prod');
    const reads = () => vault.requests.filter((r) => r.authorized && r.path.startsWith('/secrets/')).length;
    expect(reads()).toBe(1);
    clock.advance(59_000);
    await trustStore.getCertificates('ca', 'prod');
    expect(reads()).toBe(1);
    clock.advance(2_000);
    await trustStore.getCertificates('ca', 'prod'); // answered from the last snapshot; the re-read runs in the background
    await trustStore.settled();
    expect(reads()).toBe(2);
  });

  it('knows its fingerprint without I/O only between a read and the next due refresh', async () => {
    vault.certificates.set('signing', [version('A', 'a1', 1)]);
    const { trustStore, clock } = store({ refreshIntervalMs: 60_000 });
    expect(trustStore.currentFingerprint()).toBeUndefined();
    const print = await trustStore.fingerprint();
    expect(trustStore.currentFingerprint()).toBe(print);
    clock.advance(61_000);
    expect(trustStore.currentFingerprint()).toBeUndefined();
  });

  it('a due refresh under 640 concurrent lookups: one Key Vault read, every lookup answered from the last snapshot', async () => {
    vault.certificates.set('signing', [version('A', 'a1', 1)]);
    const { trustStore, clock } = store({ refreshIntervalMs: 1_000 });
    const first = await trustStore.getCertificates('ca', 'prod');
    const reads = () => vault.requests.filter((r) => r.authorized && r.path.startsWith('/secrets/')).length;
    clock.advance(2_000);
    const all = await Promise.all(Array.from({ length: 640 }, () => trustStore.getCertificates('ca', 'prod')));
    expect(all.every((certs) => certs === first)).toBe(true);
    await trustStore.settled();
    expect(reads()).toBe(2);
  });

  it('shares one load between concurrent first lookups', async () => {
    vault.certificates.set('signing', [version('A', 'a1', 1)]);
    const { trustStore } = store();
    await Promise.all([trustStore.getCertificates('ca', 'prod'), trustStore.getCertificates('ca', 'prod'), trustStore.fingerprint()]);
    expect(vault.requests.filter((r) => r.authorized && r.path.startsWith('/secrets/'))).toHaveLength(1);
  });

  it('keeps serving the last snapshot while Key Vault is down, with a warning', async () => {
    vault.certificates.set('signing', [version('A', 'a1', 1)]);
    const { trustStore, clock, logger } = store({ refreshIntervalMs: 1_000 });
    const first = await trustStore.getCertificates('ca', 'prod');
    vault.down = true;
    clock.advance(2_000);
    expect(await trustStore.getCertificates('ca', 'prod')).toEqual(first);
    await trustStore.settled();
    expect(logger.entries.filter((e) => e.event === 'truststore.keyvault_refresh_failed')).toHaveLength(1);
  });

  it('is inconclusive when Key Vault is down before any load, without re-asking it on every lookup', async () => {
    vault.down = true;
    vault.certificates.set('signing', [version('A', 'a1', 1)]);
    const { trustStore, clock } = store({ retryAfterFailureMs: 30_000 });
    await expectAppError(trustStore.getCertificates('ca', 'prod'), 'ERR_TRUST_STORE_UNAVAILABLE', 'inconclusive');
    const asked = vault.requests.length;
    await expectAppError(trustStore.getCertificates('ca', 'prod'), 'ERR_TRUST_STORE_UNAVAILABLE', 'inconclusive');
    expect(vault.requests.length).toBe(asked);
    vault.down = false;
    clock.advance(31_000);
    expect(await trustStore.getCertificates('ca', 'prod')).toHaveLength(2);
  });

  it.each<[string, () => void, KeyVaultTrustStoreOptions['stores'], string]>([
    ['an unconfigured store', () => vault.certificates.set('signing', [version('A', 'a1', 1)]), { 'ca:other': [{ certificate: 'signing' }] }, 'ERR_TRUST_STORE_NOT_FOUND'],
    ['a certificate missing from the vault', () => undefined, { 'ca:prod': [{ certificate: 'missing' }] }, 'ERR_TRUST_STORE_CONFIG_INVALID'],
    ['a missing pinned version', () => vault.certificates.set('signing', [version('A', 'a1', 1)]), { 'ca:prod': [{ certificate: 'signing', version: 'zz' }] }, 'ERR_TRUST_STORE_CONFIG_INVALID'],
    ['only disabled versions', () => vault.certificates.set('signing', [version('A', 'a1', 1, { enabled: false })]), { 'ca:prod': [{ certificate: 'signing' }] }, 'ERR_TRUST_STORE_CONFIG_INVALID'],
    ['a secret that is not a certificate', () => vault.certificates.set('signing', [version('A', 'a1', 1, { pem: 'hello', pfxBase64: undefined })]), { 'ca:prod': [{ certificate: 'signing' }] }, 'ERR_TRUST_STORE_UNREADABLE'],
    ['only a leaf', () => vault.certificates.set('signing', [version('A', 'a1', 1, { pem: chain('A').leaf.pem, pfxBase64: undefined })]), { 'ca:prod': [{ certificate: 'signing' }] }, 'ERR_TRUST_STORE_EMPTY'],
  ])('fails the lookup of %s with a config error', async (_what, arrange, stores, code) => {
    arrange();
    const { trustStore } = store({ stores });
    const error = await expectAppError(trustStore.getCertificates('ca', 'prod'), code, 'config');
    expect(error).toBeInstanceOf(TrustStoreError);
  });

  it('keeps other stores usable when one store is broken', async () => {
    vault.certificates.set('signing', [version('A', 'a1', 1)]);
    const { trustStore } = store({ stores: { 'ca:prod': [{ certificate: 'signing' }], 'ca:broken': [{ certificate: 'missing' }] } });
    await expectAppError(trustStore.getCertificates('ca', 'broken'), 'ERR_TRUST_STORE_CONFIG_INVALID');
    expect(await trustStore.getCertificates('ca', 'prod')).toHaveLength(2);
  });

  it.each<[string, Partial<KeyVaultTrustStoreOptions>]>([
    ['a non-https vault', { vaultUrl: 'http://myvault.vault.azure.net' }],
    ['an unknown store type', { stores: { 'root:x': [{ certificate: 'c' }] } }],
    ['a store name with a slash', { stores: { 'ca:a/b': [{ certificate: 'c' }] } }],
    ['the store name ..', { stores: { 'ca:..': [{ certificate: 'c' }] } }],
    ['a store without certificates', { stores: { 'ca:x': [] } }],
    ['a bad certificate name', { stores: { 'ca:x': [{ certificate: 'bad_name' }] } }],
    ['a negative keepPreviousVersions', { keepPreviousVersions: -1 }],
  ])('rejects a configuration with %s', async (_what, options) => {
    await expectAppError(() => store(options), 'ERR_TRUST_STORE_CONFIG_INVALID', 'config');
  });
});
