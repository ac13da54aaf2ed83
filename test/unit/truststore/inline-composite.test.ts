import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/core/index.js';
import { CompositeTrustStore, FileTrustStore, InlineTrustStore, TrustStoreError } from '../../../shared/truststore/index.js';
import type { TrustStore } from '../../../shared/truststore/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/truststore');
const pem = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const derAsPem = (path: string) => new X509Certificate(readFileSync(join(FIXTURES, path))).toString();
const E2E = pem('e2e-certs/localkeys/e2e.crt');
const NEW_E2E = pem('e2e-certs/localkeys/new_e2e.crt');

describe('InlineTrustStore', () => {
  it('serves each configured store; a string may hold several certificates', async () => {
    const inline = new InlineTrustStore({
      stores: { 'ca:e2e': E2E, 'ca:multi': pem('notation-core-go/multi-pem.crt'), 'tsa:roots': [derAsPem('e2e-certs/timestamp/globalsignTSARoot.cer'), derAsPem('e2e-certs/timestamp/DigiCertTSARootSHA384.cer')] },
    });
    expect(await inline.getCertificates('ca', 'e2e')).toHaveLength(1);
    expect(await inline.getCertificates('ca', 'multi')).toHaveLength(2);
    expect(await inline.getCertificates('tsa', 'roots')).toHaveLength(2);
    await expectAppError(inline.getCertificates('signingAuthority', 'e2e'), 'ERR_TRUST_STORE_NOT_FOUND', 'config');
    await expectAppError(inline.getCertificates('ca', '..'), 'ERR_TRUST_STORE_NAME_INVALID');
  });

  it.each<[string, Record<string, string | string[]>, string]>([
    ['key without type', { e2e: E2E }, 'ERR_TRUST_STORE_CONFIG_INVALID'],
    ['unknown type', { 'x509:e2e': E2E }, 'ERR_TRUST_STORE_TYPE_INVALID'],
    ['traversal name', { 'ca:../x': E2E }, 'ERR_TRUST_STORE_NAME_INVALID'],
    ['not PEM', { 'ca:e2e': 'hello' }, 'ERR_TRUST_STORE_CERT_INVALID'],
    ['unparsable PEM', { 'ca:e2e': '-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n' }, 'ERR_TRUST_STORE_CERT_INVALID'],
    ['empty list', { 'ca:e2e': [] }, 'ERR_TRUST_STORE_EMPTY'],
    ['leaf that is neither CA nor self-signed', { 'ca:chain': pem('e2e-certs/timestamp/CertChain.pem') }, 'ERR_TRUST_STORE_CERT_NOT_CA'],
    ['intermediate as tsa root', { 'tsa:x': pem('e2e-certs/timestamp/intermediate.pem') }, 'ERR_TRUST_STORE_TSA_NOT_ROOT'],
    ['not self-issued tsa root', { 'tsa:x': derAsPem('e2e-certs/timestamp/notSelfIssued.crt') }, 'ERR_TRUST_STORE_TSA_NOT_ROOT'],
  ])('refuses %s at construction', async (_name, stores, code) => {
    await expectAppError(() => new InlineTrustStore({ stores }), code, 'config');
  });

  it('fingerprint changes when a certificate is added, removed or changed', async () => {
    const print = (stores: Record<string, string | string[]>) => new InlineTrustStore({ stores }).fingerprint();
    const base = await print({ 'ca:e2e': E2E });
    expect(await print({ 'ca:e2e': [E2E] })).toBe(base);
    expect(await print({ 'ca:e2e': [E2E, NEW_E2E] })).not.toBe(base);
    expect(await print({ 'ca:e2e': NEW_E2E })).not.toBe(base);
    expect(await print({ 'ca:other': E2E })).not.toBe(base);
    expect(await print({ 'ca:e2e': E2E, 'ca:x': NEW_E2E })).not.toBe(base);
  });

  it('has the same fingerprint as a file store with the same content', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trustgate-inline-'));
    try {
      mkdirSync(join(root, 'x509', 'ca', 'e2e'), { recursive: true });
      writeFileSync(join(root, 'x509', 'ca', 'e2e', 'e2e.crt'), E2E);
      expect(await new FileTrustStore({ root }).fingerprint()).toBe(await new InlineTrustStore({ stores: { 'ca:e2e': E2E } }).fingerprint());
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('CompositeTrustStore', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'trustgate-composite-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const inline = new InlineTrustStore({ stores: { 'ca:shared': E2E, 'ca:inline-only': E2E } });

  it('asks stores in order: the first that has the named store answers', async () => {
    mkdirSync(join(root, 'x509', 'ca', 'shared'), { recursive: true });
    mkdirSync(join(root, 'x509', 'ca', 'file-only'), { recursive: true });
    writeFileSync(join(root, 'x509', 'ca', 'shared', 'new.crt'), NEW_E2E);
    writeFileSync(join(root, 'x509', 'ca', 'file-only', 'new.crt'), NEW_E2E);
    const composite = new CompositeTrustStore([inline, new FileTrustStore({ root })]);
    expect((await composite.getCertificates('ca', 'shared'))[0]!.subject).toContain('CN=e2e');
    expect((await composite.getCertificates('ca', 'file-only'))[0]!.subject).toContain('Internet Widgits');
    expect(await composite.getCertificates('ca', 'inline-only')).toHaveLength(1);
    await expectAppError(composite.getCertificates('ca', 'nowhere'), 'ERR_TRUST_STORE_NOT_FOUND', 'config');
  });

  it('does not hide an invalid store behind a later valid one', async () => {
    mkdirSync(join(root, 'x509', 'ca', 'shared'), { recursive: true });
    writeFileSync(join(root, 'x509', 'ca', 'shared', 'bad.crt'), 'garbage');
    const composite = new CompositeTrustStore([new FileTrustStore({ root }), inline]);
    await expectAppError(composite.getCertificates('ca', 'shared'), 'ERR_TRUST_STORE_CERT_INVALID');
  });

  it('skips any store that reports ERR_TRUST_STORE_NOT_FOUND, whatever its error class', async () => {
    const other: TrustStore = {
      getCertificates: async () => {
        throw new AppError('ERR_TRUST_STORE_NOT_FOUND', 'config', 'not here');
      },
      fingerprint: async () => 'other',
    };
    expect(await new CompositeTrustStore([other, inline]).getCertificates('ca', 'shared')).toHaveLength(1);
  });

  it('passes on non-store errors unchanged', async () => {
    const broken: TrustStore = {
      getCertificates: async () => {
        throw new Error('disk on fire');
      },
      fingerprint: async () => 'x',
    };
    await expect(new CompositeTrustStore([broken, inline]).getCertificates('ca', 'shared')).rejects.toThrow('disk on fire');
    await expect(new CompositeTrustStore([broken]).getCertificates('ca', 'shared')).rejects.not.toBeInstanceOf(TrustStoreError);
  });

  it('fingerprint combines members in order and follows their changes', async () => {
    const files = new FileTrustStore({ root, recheckIntervalMs: 0 });
    const a = await new CompositeTrustStore([inline, files]).fingerprint();
    expect(await new CompositeTrustStore([files, inline]).fingerprint()).not.toBe(a);
    mkdirSync(join(root, 'x509', 'ca', 'x'), { recursive: true });
    writeFileSync(join(root, 'x509', 'ca', 'x', 'new.crt'), NEW_E2E);
    expect(await new CompositeTrustStore([inline, files]).fingerprint()).not.toBe(a);
  });
});
