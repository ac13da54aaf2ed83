import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DCT_CODES, canonicalJson, parseTufKey, verifyTufSignature } from '../../../shared/dct/index.js';
import type { KeyType, TufKey } from '../../../shared/dct/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { testTufKey } from '../../helpers/notary-metadata.js';

interface Envelope {
  signed: { keys?: Record<string, TufKey>; delegations?: { keys: Record<string, TufKey> } };
  signatures: { keyid: string; method: string; sig: string }[];
}

function fixture(name: string): Envelope {
  return JSON.parse(readFileSync(new URL(`../../fixtures/dct/${name}.json`, import.meta.url), 'utf8')) as Envelope;
}

const root = fixture('root');
const rootKeys = root.signed.keys ?? {};
const delegationKeys = fixture('targets').signed.delegations?.keys ?? {};

function verifies(envelope: Envelope, keys: Record<string, TufKey>): boolean {
  const message = Buffer.from(canonicalJson(envelope.signed), 'utf8');
  return envelope.signatures.every((signature) => {
    const declared = keys[signature.keyid];
    return declared !== undefined && verifyTufSignature(signature.method, parseTufKey(declared), message, Buffer.from(signature.sig, 'base64'));
  });
}

describe('TUF keys and signatures on real notary 0.7 metadata', () => {
  it('computes the key ids notary wrote, and the canonical ids `notary key list` shows', () => {
    for (const [id, key] of Object.entries({ ...rootKeys, ...delegationKeys })) expect(parseTufKey(key).id).toBe(id);
    const canonical = Object.values(rootKeys).filter((key) => key.keytype === 'ecdsa-x509').map((key) => parseTufKey(key).canonicalId);
    expect(canonical).toEqual(['e61d8fd37456271836a6f5ba2512760153993353febdeeca1a95f1e61e914c21']);
    expect(Object.values(delegationKeys).map((key) => parseTufKey(key).canonicalId)).toEqual(['0e4e6490c3c5465a178aa6c06b38f51b7a778ca8f41746165fe7975b276d4435']);
  });

  it('verifies ecdsa-x509 (root), eddsa (timestamp), ecdsa (snapshot, targets) and a delegation certificate key', () => {
    for (const name of ['root', 'timestamp', 'snapshot', 'targets']) expect(verifies(fixture(name), rootKeys), name).toBe(true);
    expect(verifies(fixture('targets-releases'), delegationKeys)).toBe(true);
  });

  it('fails when the signed part changes, even by one field', () => {
    const targets = fixture('targets');
    (targets.signed as Record<string, unknown>).version = 99;
    expect(verifies(targets, rootKeys)).toBe(false);
  });
});

describe.each<[KeyType, ('rsapss' | 'rsapkcs1v15')?]>([['ecdsa'], ['ecdsa-x509'], ['rsa'], ['rsa', 'rsapkcs1v15'], ['rsa-x509'], ['ed25519']])('%s keys (%s)', (type, rsaMethod) => {
  const key = testTufKey(type, `unit-${type}`, rsaMethod ?? 'rsapss');
  const message = Buffer.from('{"_type":"Targets"}');

  it('verify their own signatures and nothing else', () => {
    const parsed = parseTufKey(key.tuf);
    expect(parsed.id).toBe(key.id);
    const { method, sig } = key.sign(message);
    expect(verifyTufSignature(method, parsed, message, Buffer.from(sig, 'base64'))).toBe(true);
    expect(verifyTufSignature(method, parsed, Buffer.from('{"_type":"Root"}'), Buffer.from(sig, 'base64'))).toBe(false);
    const other = testTufKey(type, `other-${type}`, rsaMethod ?? 'rsapss');
    expect(verifyTufSignature(method, parseTufKey(other.tuf), message, Buffer.from(sig, 'base64'))).toBe(false);
  });

  it('accept only the method of their type', () => {
    const parsed = parseTufKey(key.tuf);
    const { method, sig } = key.sign(message);
    for (const wrong of ['ecdsa', 'eddsa', 'rsapss', 'rsapkcs1v15', 'pycrypto-pkcs#1 pss'].filter((m) => m !== method && !(type.startsWith('rsa') && m.startsWith('rsap')))) {
      expect(verifyTufSignature(wrong, parsed, message, Buffer.from(sig, 'base64'))).toBe(false);
    }
  });
});

describe('key refusals', () => {
  it('refuses RSA below 2048 bits, unknown key types, mislabelled keys and non-canonical base64', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    await expectAppError(() => parseTufKey({ keytype: 'rsa', keyval: { public: small } }), DCT_CODES.malformed);
    await expectAppError(() => parseTufKey({ keytype: 'dsa', keyval: { public: small } }), DCT_CODES.malformed);
    const ec = testTufKey('ecdsa', 'unit-mislabel');
    await expectAppError(() => parseTufKey({ keytype: 'rsa', keyval: ec.tuf.keyval }), DCT_CODES.malformed);
    await expectAppError(() => parseTufKey({ keytype: 'ecdsa', keyval: { public: `${ec.tuf.keyval.public}\n` } }), DCT_CODES.malformed);
    await expectAppError(() => parseTufKey({ keytype: 'ed25519', keyval: { public: Buffer.alloc(31).toString('base64') } }), DCT_CODES.malformed);
  });

  it('refuses an ECDSA signature of the wrong length (DER instead of r‖s)', () => {
    const key = testTufKey('ecdsa', 'unit-der');
    const message = Buffer.from('x');
    const { sig } = key.sign(message);
    expect(verifyTufSignature('ecdsa', parseTufKey(key.tuf), message, Buffer.concat([Buffer.from(sig, 'base64'), Buffer.from([0])]))).toBe(false);
  });
});
