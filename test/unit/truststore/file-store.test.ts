import { X509Certificate } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, memoryLogger } from '../../../shared/core/index.js';
import { FileTrustStore, thumbprint } from '../../../shared/truststore/index.js';
import type { TrustStoreType } from '../../../shared/truststore/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/truststore');
const fixture = (path: string) => readFileSync(join(FIXTURES, path));

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'trustgate-ts-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function store(type: string, name: string, files: Record<string, Buffer | string>): string {
  const dir = join(root, 'x509', type, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

describe('FileTrustStore: the notation-go trust store tree', () => {
  const tree = new FileTrustStore({ root: join(FIXTURES, 'notation-go') });

  it.each<[TrustStoreType, string, number]>([
    ['ca', 'valid-trust-store', 6],
    ['ca', 'valid-trust-store-2', 2],
    ['ca', 'valid-trust-store-self-signed', 1],
    ['signingAuthority', 'valid-trust-store', 3],
    ['signingAuthority', 'valid-trust-store-2', 2],
    ['tsa', 'test-timestamp', 1],
    ['tsa', 'test-mismatch', 1],
  ])('%s:%s loads %i certificates', async (type, name, count) => {
    expect(await tree.getCertificates(type, name)).toHaveLength(count);
  });

  it.each<[TrustStoreType, string, string]>([
    ['ca', 'trust-store-with-leaf-certs', 'ERR_TRUST_STORE_CERT_NOT_CA'],
    ['ca', 'trust-store-with-leaf-certs-in-single-file', 'ERR_TRUST_STORE_CERT_NOT_CA'],
    // DEVIATION: the reference fails to parse "invalid"; trustgate refuses the extension-less file before reading it.
    ['ca', 'trust-store-with-invalid-certs', 'ERR_TRUST_STORE_ENTRY_UNSUPPORTED'],
    ['tsa', 'test-nonCA', 'ERR_TRUST_STORE_TSA_NOT_ROOT'],
    ['tsa', 'test-nonSelfIssued', 'ERR_TRUST_STORE_TSA_NOT_ROOT'],
    ['ca', 'does-not-exist', 'ERR_TRUST_STORE_NOT_FOUND'],
    ['signingAuthority', 'test-timestamp', 'ERR_TRUST_STORE_NOT_FOUND'],
  ])('%s:%s is refused (%s)', async (type, name, code) => {
    await expectAppError(tree.getCertificates(type, name), code, 'config');
  });
});

describe('FileTrustStore: layout rules', () => {
  it('reads PEM, DER, multi-certificate files and any extension case; certificates in file-name order', async () => {
    store('ca', 'mixed', {
      'b.PEM': fixture('notation-core-go/multi-pem.crt'),
      'a.der': fixture('notation-core-go/multi-der.der'),
      'c.cer': fixture('e2e-certs/timestamp/globalsignTSARoot.cer'),
      'd.crt': fixture('e2e-certs/localkeys/e2e.crt'),
    });
    const certificates = await new FileTrustStore({ root }).getCertificates('ca', 'mixed');
    expect(certificates).toHaveLength(6);
    expect(certificates[5]!.subject).toContain('CN=e2e');
  });

  it.each(['..', '.', '../ca', 'a/b', 'a\\b', '', 'name with space', 'ünï'])('refuses the store name %j (no traversal)', async (name) => {
    store('ca', 'real', { 'e2e.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    await expectAppError(new FileTrustStore({ root: join(root, 'x509', 'ca', 'real') }).getCertificates('ca', name), 'ERR_TRUST_STORE_NAME_INVALID');
  });

  it('refuses an unknown store type', async () => {
    await expectAppError(new FileTrustStore({ root }).getCertificates('x509' as TrustStoreType, 'a'), 'ERR_TRUST_STORE_TYPE_INVALID');
  });

  it('refuses a store directory that is a symlink', async () => {
    const real = store('ca', 'real', { 'e2e.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    symlinkSync(real, join(root, 'x509', 'ca', 'linked'));
    await expectAppError(new FileTrustStore({ root }).getCertificates('ca', 'linked'), 'ERR_TRUST_STORE_SYMLINK');
  });

  it('refuses a certificate file that is a symlink', async () => {
    const dir = store('ca', 's', { 'e2e.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    symlinkSync(join(dir, 'e2e.crt'), join(dir, 'link.crt'));
    await expectAppError(new FileTrustStore({ root }).getCertificates('ca', 's'), 'ERR_TRUST_STORE_SYMLINK');
  });

  it('DEVIATION: refuses a store with a sub-directory (spec: ignore with a warning; reference: error)', async () => {
    const dir = store('ca', 'sub', { 'e2e.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    mkdirSync(join(dir, 'sub-dir'));
    writeFileSync(join(dir, 'sub-dir', 'cert-3.pem'), fixture('notation-core-go/pem.crt'));
    const logger = memoryLogger();
    await expectAppError(new FileTrustStore({ root, logger }).getCertificates('ca', 'sub'), 'ERR_TRUST_STORE_SUBDIRECTORY');
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'warn', event: 'truststore.invalid' }));
  });

  it('refuses a store path that is a file', async () => {
    mkdirSync(join(root, 'x509', 'ca'), { recursive: true });
    writeFileSync(join(root, 'x509', 'ca', 'file'), 'x');
    await expectAppError(new FileTrustStore({ root }).getCertificates('ca', 'file'), 'ERR_TRUST_STORE_NOT_DIRECTORY');
  });

  it('refuses an empty store', async () => {
    store('ca', 'empty', {});
    await expectAppError(new FileTrustStore({ root }).getCertificates('ca', 'empty'), 'ERR_TRUST_STORE_EMPTY');
  });

  it.each([['README.md'], ['.gitkeep'], ['cert.txt'], ['noextension']])('DEVIATION: refuses the non-certificate file %s (spec ignores it, the reference parses it)', async (file) => {
    store('ca', 'extra', { 'e2e.crt': fixture('e2e-certs/localkeys/e2e.crt'), [file]: fixture('e2e-certs/localkeys/e2e.crt') });
    await expectAppError(new FileTrustStore({ root }).getCertificates('ca', 'extra'), 'ERR_TRUST_STORE_ENTRY_UNSUPPORTED');
  });

  it('refuses an unparsable certificate file', async () => {
    store('ca', 'bad', { 'e2e.crt': fixture('e2e-certs/localkeys/e2e.crt'), 'invalid.crt': fixture('e2e-certs/timestamp/invalid.crt') });
    await expectAppError(new FileTrustStore({ root }).getCertificates('ca', 'bad'), 'ERR_TRUST_STORE_CERT_INVALID');
  });

  it('refuses a leaf certificate that is neither CA nor self-signed', async () => {
    store('ca', 'leaf', { 'chain.pem': fixture('e2e-certs/timestamp/CertChain.pem') });
    await expectAppError(new FileTrustStore({ root }).getCertificates('ca', 'leaf'), 'ERR_TRUST_STORE_CERT_NOT_CA');
  });

  it.each([
    ['intermediate.pem', 'e2e-certs/timestamp/intermediate.pem'],
    ['notSelfIssued.crt', 'e2e-certs/timestamp/notSelfIssued.crt'],
  ])('refuses %s in a tsa store', async (file, path) => {
    store('tsa', 'roots', { 'globalsign.cer': fixture('e2e-certs/timestamp/globalsignTSARoot.cer'), [file]: fixture(path) });
    await expectAppError(new FileTrustStore({ root }).getCertificates('tsa', 'roots'), 'ERR_TRUST_STORE_TSA_NOT_ROOT');
  });

  it('applies the file, size and certificate limits', async () => {
    store('ca', 'big', { 'a.crt': fixture('notation-core-go/multi-pem.crt'), 'b.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    await expectAppError(new FileTrustStore({ root, maxFilesPerStore: 1 }).getCertificates('ca', 'big'), 'ERR_TRUST_STORE_TOO_LARGE');
    await expectAppError(new FileTrustStore({ root, maxFileBytes: 100 }).getCertificates('ca', 'big'), 'ERR_TRUST_STORE_TOO_LARGE');
    await expectAppError(new FileTrustStore({ root, maxCertificatesPerStore: 2 }).getCertificates('ca', 'big'), 'ERR_TRUST_STORE_TOO_LARGE');
  });

  it('re-reads a store when its files change, looking at the disk at most once per recheck interval', async () => {
    const dir = store('ca', 'live', { 'a.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    const clock = new ManualClock('2026-06-01T00:00:00Z');
    const files = new FileTrustStore({ root, clock, recheckIntervalMs: 1000 });
    expect(await files.getCertificates('ca', 'live')).toHaveLength(1);
    writeFileSync(join(dir, 'b.crt'), fixture('notation-core-go/multi-pem.crt'));
    expect(await files.getCertificates('ca', 'live')).toHaveLength(1); // within the interval: no disk access
    clock.advance(1000);
    // Past the interval the caller keeps the last look while one re-check runs in the background.
    expect(await files.getCertificates('ca', 'live')).toHaveLength(1);
    await files.settled();
    expect(await files.getCertificates('ca', 'live')).toHaveLength(3);
    unlinkSync(join(dir, 'a.crt'));
    clock.advance(1000);
    expect(await files.getCertificates('ca', 'live')).toHaveLength(3);
    await files.settled();
    expect(await files.getCertificates('ca', 'live')).toHaveLength(2);
  });

  it('serves the same parsed certificates while nothing changes', async () => {
    store('ca', 'still', { 'a.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    const files = new FileTrustStore({ root });
    expect(await files.getCertificates('ca', 'still')).toBe(await files.getCertificates('ca', 'still'));
  });
});

describe('FileTrustStore.fingerprint', () => {
  it('changes when a certificate is added, removed or changed, and not otherwise', async () => {
    const dir = store('ca', 'a', { '1.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    const files = new FileTrustStore({ root, recheckIntervalMs: 0 });
    const first = await files.fingerprint();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await files.fingerprint()).toBe(first);

    writeFileSync(join(dir, '2.crt'), fixture('e2e-certs/localkeys/new_e2e.crt'));
    const added = await files.fingerprint();
    expect(added).not.toBe(first);

    writeFileSync(join(dir, '2.crt'), fixture('e2e-certs/localkeys/expired_e2e.crt'));
    const changed = await files.fingerprint();
    expect(changed).not.toBe(added);

    unlinkSync(join(dir, '2.crt'));
    expect(await files.fingerprint()).toBe(first);
  });

  it('depends on type and name, not on file names', async () => {
    store('ca', 'a', { '1.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    const one = await new FileTrustStore({ root }).fingerprint();
    rmSync(join(root, 'x509'), { recursive: true });
    store('ca', 'a', { 'renamed.pem': fixture('e2e-certs/localkeys/e2e.crt') });
    expect(await new FileTrustStore({ root }).fingerprint()).toBe(one);
    rmSync(join(root, 'x509'), { recursive: true });
    store('signingAuthority', 'a', { '1.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    expect(await new FileTrustStore({ root }).fingerprint()).not.toBe(one);
  });

  it('covers every store, and an invalid store changes it too', async () => {
    cpSync(join(FIXTURES, 'notation-go/x509'), join(root, 'x509'), { recursive: true });
    const files = new FileTrustStore({ root, recheckIntervalMs: 0 });
    const before = await files.fingerprint();
    writeFileSync(join(root, 'x509', 'tsa', 'test-timestamp', 'extra.pem'), fixture('e2e-certs/timestamp/intermediate.pem'));
    expect(await files.fingerprint()).not.toBe(before);
  });

  it('is the fingerprint of nothing when the root has no x509 directory', async () => {
    const empty = await new FileTrustStore({ root }).fingerprint();
    store('ca', 'a', { '1.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    expect(await new FileTrustStore({ root }).fingerprint()).not.toBe(empty);
  });

  it('uses certificate thumbprints (sha256 of DER)', async () => {
    store('ca', 'a', { '1.crt': fixture('e2e-certs/localkeys/e2e.crt') });
    const [certificate] = await new FileTrustStore({ root }).getCertificates('ca', 'a');
    const expected = new X509Certificate(fixture('e2e-certs/localkeys/e2e.crt')).fingerprint256.replace(/:/g, '').toLowerCase();
    expect(thumbprint(certificate!)).toBe(expected);
  });
});
