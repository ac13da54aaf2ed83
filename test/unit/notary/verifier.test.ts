import { describe, expect, it } from 'vitest';
import { NotaryErrorCode, verifySignature } from '../../../shared/notary/index.js';
import type { CheckName, SignatureOutcome } from '../../../shared/notary/index.js';
import type { VerifySignatureInput } from '../../../shared/notary/index.js';
import type { SignatureVerification } from '../../../shared/policy/index.js';
import { addDays, createChain, createTsa, EKU, issueTimestampToken, PKI_NOW } from '../../helpers/pki/index.js';
import type { TestChain } from '../../helpers/pki/index.js';
import { ALGORITHM_KEY_TYPES, signCose, signJws } from '../../helpers/signer/index.js';
import type { CoseSignOptions } from '../../helpers/signer/index.js';
import { memoryTrustStore, statement, stubRevocation } from './support.js';

const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'b'.repeat(64)}`, size: 1234 };
const chain = createChain({ prefix: 'Verifier' });
const otherChain = createChain({ prefix: 'Verifier Other' });
const expiredChain = createChain({ prefix: 'Verifier Expired', leaf: { notBefore: addDays(PKI_NOW, -60), notAfter: addDays(PKI_NOW, -10) } });
const wrongEku = createChain({ prefix: 'Verifier EKU', leaf: { eku: { oids: [EKU.serverAuth], critical: false } } });
const tsa = createTsa({ prefix: 'Verifier TSA' });
const stamp = (genTime: Date) => (signature: Uint8Array) => issueTimestampToken({ tsa, data: signature, genTime });

/** What a scenario breaks: the failing check (or a post-check step) and the expected code. */
type Failure = { check: CheckName | 'descriptor'; code: string } | undefined;

interface Scenario {
  name: string;
  sign?: Partial<CoseSignOptions>;
  signer?: TestChain;
  stores?: Record<string, Uint8Array[]>;
  trustStores?: string[];
  trustedIdentities?: string[];
  verifyTimestamp?: 'always' | 'afterCertExpiry';
  revocation?: VerifySignatureInput['revocation'];
  tamper?: (envelope: Buffer, format: 'jws' | 'cose') => Buffer;
  fails: Failure;
}

const defaultStores = { 'ca:test': [chain.root.der], 'ca:other': [otherChain.root.der], 'ca:expired': [expiredChain.root.der], 'ca:eku': [wrongEku.root.der], 'tsa:tsa': [tsa.root.der] };

const scenarios: Scenario[] = [
  { name: 'a valid signature', fails: undefined },
  { name: 'a tampered payload', tamper: tamperPayload, fails: { check: 'integrity', code: NotaryErrorCode.signature } },
  { name: 'a payload for another digest', sign: { descriptor: { ...subject, digest: `sha256:${'c'.repeat(64)}` } }, fails: { check: 'descriptor', code: NotaryErrorCode.descriptorMismatch } },
  { name: 'an untrusted root', trustStores: ['ca:other'], fails: { check: 'authenticity', code: NotaryErrorCode.untrusted } },
  { name: 'a leaf with a serverAuth EKU', signer: wrongEku, trustStores: ['ca:eku'], fails: { check: 'integrity', code: NotaryErrorCode.chain } },
  { name: 'an expired leaf without a timestamp', signer: expiredChain, trustStores: ['ca:expired'], sign: { signingTime: addDays(PKI_NOW, -30) }, fails: { check: 'authenticTimestamp', code: NotaryErrorCode.certificateValidity } },
  { name: 'an expired leaf with a timestamp (verifyTimestamp always)', signer: expiredChain, trustStores: ['ca:expired', 'tsa:tsa'], sign: { signingTime: addDays(PKI_NOW, -30), timestamp: stamp(addDays(PKI_NOW, -30)) }, fails: undefined },
  { name: 'an expired leaf with a timestamp (verifyTimestamp afterCertExpiry)', signer: expiredChain, trustStores: ['ca:expired', 'tsa:tsa'], verifyTimestamp: 'afterCertExpiry', sign: { signingTime: addDays(PKI_NOW, -30), timestamp: stamp(addDays(PKI_NOW, -30)) }, fails: undefined },
  { name: 'an expired leaf whose timestamp is after the leaf expiry', signer: expiredChain, trustStores: ['ca:expired', 'tsa:tsa'], sign: { signingTime: addDays(PKI_NOW, -30), timestamp: stamp(addDays(PKI_NOW, -5)) }, fails: { check: 'authenticTimestamp', code: NotaryErrorCode.certificateValidity } },
  { name: 'a valid leaf without a timestamp (verifyTimestamp afterCertExpiry)', trustStores: ['ca:test', 'tsa:tsa'], verifyTimestamp: 'afterCertExpiry', fails: undefined },
  { name: 'a valid leaf without a timestamp (verifyTimestamp always)', trustStores: ['ca:test', 'tsa:tsa'], fails: { check: 'authenticTimestamp', code: NotaryErrorCode.timestampMissing } },
  { name: 'a timestamp by an untrusted TSA', trustStores: ['ca:test', 'tsa:other'], stores: { 'tsa:other': [otherChain.root.der] }, sign: { timestamp: stamp(addDays(PKI_NOW, -1)) }, fails: { check: 'authenticTimestamp', code: NotaryErrorCode.timestampInvalid } },
  { name: 'a revoked TSA chain', trustStores: ['ca:test', 'tsa:tsa'], sign: { timestamp: stamp(addDays(PKI_NOW, -1)) }, revocation: stubRevocation({ timestamping: { status: 'revoked' } }), fails: { check: 'authenticTimestamp', code: NotaryErrorCode.timestampInvalid } },
  { name: 'a passed expiry header', sign: { signingTime: addDays(PKI_NOW, -3), expiry: addDays(PKI_NOW, -1) }, fails: { check: 'expiry', code: NotaryErrorCode.expired } },
  { name: 'an identity mismatch', trustedIdentities: ['x509.subject: C=US, ST=WA, O=Someone Else'], fails: { check: 'authenticity', code: NotaryErrorCode.identity } },
  { name: 'an unknown critical header', sign: { extraProtected: { 'com.example.policy': 'x' }, extraCritical: ['com.example.policy'] }, fails: { check: 'integrity', code: NotaryErrorCode.unknownCritical } },
  { name: 'a revoked signing chain', revocation: stubRevocation({ codeSigning: { status: 'revoked' } }), fails: { check: 'revocation', code: NotaryErrorCode.revoked } },
  { name: 'an OCSP responder that is down (status unknown)', revocation: stubRevocation({ codeSigning: { status: 'unknown' } }), fails: { check: 'revocation', code: NotaryErrorCode.revocationUnknown } },
  { name: 'a revocation checker that throws', revocation: stubRevocation({ codeSigning: new Error('socket hang up') }), fails: { check: 'revocation', code: NotaryErrorCode.revocationUnknown } },
  { name: 'a signingAuthority signature', sign: { scheme: 'notary.x509.signingAuthority' }, trustStores: ['signingAuthority:sa'], stores: { 'signingAuthority:sa': [chain.root.der] }, fails: undefined },
  { name: 'a CA-store certificate posing as a signing authority', sign: { scheme: 'notary.x509.signingAuthority' }, fails: { check: 'authenticity', code: NotaryErrorCode.noTrustStore } },
  { name: 'a signingAuthority leaf not valid at the authentic signing time', signer: expiredChain, sign: { scheme: 'notary.x509.signingAuthority', signingTime: addDays(PKI_NOW, -5) }, trustStores: ['signingAuthority:sa'], stores: { 'signingAuthority:sa': [expiredChain.root.der] }, fails: { check: 'authenticTimestamp', code: NotaryErrorCode.certificateValidity } },
];

/** The level table of the spec, written out independently of shared/policy. */
const LEVELS: Array<{ name: string; verification: SignatureVerification; actions: Record<Exclude<CheckName, 'integrity'>, 'enforce' | 'log' | 'skip'> }> = [
  { name: 'strict', verification: { level: 'strict' }, actions: { authenticity: 'enforce', authenticTimestamp: 'enforce', expiry: 'enforce', revocation: 'enforce' } },
  { name: 'permissive', verification: { level: 'permissive' }, actions: { authenticity: 'enforce', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' } },
  { name: 'audit', verification: { level: 'audit' }, actions: { authenticity: 'log', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' } },
  {
    name: 'strict with everything logged',
    verification: { level: 'strict', override: { authenticity: 'log', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' } },
    actions: { authenticity: 'log', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' },
  },
  {
    name: 'audit with everything enforced',
    verification: { level: 'audit', override: { authenticity: 'enforce', authenticTimestamp: 'enforce', expiry: 'enforce', revocation: 'enforce' } },
    actions: { authenticity: 'enforce', authenticTimestamp: 'enforce', expiry: 'enforce', revocation: 'enforce' },
  },
  { name: 'permissive with revocation skipped', verification: { level: 'permissive', override: { revocation: 'skip' } }, actions: { authenticity: 'enforce', authenticTimestamp: 'log', expiry: 'log', revocation: 'skip' } },
];

function tamperPayload(envelope: Buffer, format: 'jws' | 'cose'): Buffer {
  if (format === 'jws') {
    const jws = JSON.parse(envelope.toString()) as Record<string, string>;
    const payload = Buffer.from(jws.payload ?? '', 'base64url').toString().replace('"size":1234', '"size":1235');
    return Buffer.from(JSON.stringify({ ...jws, payload: Buffer.from(payload).toString('base64url') }));
  }
  const text = envelope.toString('latin1');
  return Buffer.from(text.replace('"size":1234', '"size":1235'), 'latin1');
}

async function run(scenario: Scenario, level: (typeof LEVELS)[number], format: 'jws' | 'cose'): Promise<SignatureOutcome> {
  const signer = scenario.signer ?? chain;
  const options: CoseSignOptions = { descriptor: subject, chain: signer.ders, privateKey: signer.leaf.privateKey, ...scenario.sign };
  let envelope = format === 'jws' ? signJws(options) : signCose(options);
  if (scenario.tamper) envelope = scenario.tamper(envelope, format);
  return verifySignature({
    envelope,
    envelopeMediaType: format === 'jws' ? 'application/jose+json' : 'application/cose',
    subject,
    statement: statement({
      trustStores: scenario.trustStores ?? ['ca:test'],
      trustedIdentities: scenario.trustedIdentities ?? ['*'],
      signatureVerification: { ...level.verification, ...(scenario.verifyTimestamp ? { verifyTimestamp: scenario.verifyTimestamp } : {}) },
    }),
    trustStore: memoryTrustStore({ ...defaultStores, ...scenario.stores }),
    at: PKI_NOW,
    ...(scenario.revocation ? { revocation: scenario.revocation } : {}),
  });
}

const matrix = LEVELS.flatMap((level) => scenarios.flatMap((scenario) => (['jws', 'cose'] as const).map((format) => ({ level, scenario, format }))));

describe('verifySignature: every check under every level', () => {
  it.each(matrix.map((c) => [`${c.level.name} / ${c.format}: ${c.scenario.name}`, c] as const))('%s', async (_name, { level, scenario, format }) => {
    const outcome = await run(scenario, level, format);
    const failure = scenario.fails;
    const action = !failure ? undefined : failure.check === 'integrity' || failure.check === 'descriptor' ? 'enforce' : level.actions[failure.check];
    if (!failure || action === 'skip') {
      expect(outcome.ok, JSON.stringify(outcome.error)).toBe(true);
      expect(outcome.checks.every((c) => c.ok || c.action === 'log')).toBe(true);
      if (failure) expect(outcome.checks.find((c) => c.check === failure.check)).toEqual({ check: failure.check, action: 'skip', ok: true });
      return;
    }
    if (action === 'log') {
      expect(outcome.ok, JSON.stringify(outcome.error)).toBe(true);
      expect(outcome.checks.find((c) => c.check === failure.check)).toMatchObject({ action: 'log', ok: false, error: { code: failure.code } });
      return;
    }
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.code).toBe(failure.code);
    if (failure.check !== 'descriptor') expect(outcome.checks.at(-1)).toMatchObject({ check: failure.check, action: 'enforce', ok: false });
  });
});

describe('verifySignature: algorithms', () => {
  it.each(ALGORITHM_KEY_TYPES)('%s passes under strict (JWS and COSE)', async (algorithm, keyType) => {
    const signer = createChain({ prefix: `Verifier ${keyType}`, keyType });
    for (const sign of [signJws, signCose]) {
      const outcome = await verifySignature({
        envelope: sign({ descriptor: subject, chain: signer.ders, privateKey: signer.leaf.privateKey }),
        envelopeMediaType: sign === signJws ? 'application/jose+json' : 'application/cose',
        subject,
        statement: statement({ trustStores: ['ca:root'] }),
        trustStore: memoryTrustStore({ 'ca:root': [signer.root.der] }),
        at: PKI_NOW,
      });
      expect(outcome.ok, JSON.stringify(outcome.error)).toBe(true);
      expect(outcome.checks.map((c) => c.check)).toEqual(['integrity', 'authenticity', 'expiry', 'authenticTimestamp', 'revocation']);
      expect(algorithm).toMatch(/^(PS|ES)/);
    }
  });

  it('fails integrity when alg differs from the algorithm the leaf key implies', async () => {
    const outcome = await verifySignature({
      envelope: signJws({ descriptor: subject, chain: chain.ders, privateKey: chain.leaf.privateKey, algorithm: 'PS384' }),
      envelopeMediaType: 'application/jose+json',
      subject,
      statement: statement({ trustStores: ['ca:test'] }),
      trustStore: memoryTrustStore(defaultStores),
      at: PKI_NOW,
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: NotaryErrorCode.algorithm } });
  });
});
