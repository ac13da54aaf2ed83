import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NotaryError, NotaryErrorCode } from '../../../shared/notary/errors.js';
import { parseEnvelope, verifyEnvelopeSignature } from '../../../shared/notary/envelope/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { createChain } from '../../helpers/pki/index.js';
import { ALGORITHM_KEY_TYPES, signCose, signJws } from '../../helpers/signer/index.js';
import type { CoseSignOptions } from '../../helpers/signer/index.js';

const JWS = 'application/jose+json';
const COSE = 'application/cose';
const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 517 };
const rsa = createChain({ prefix: 'Envelope RSA', intermediates: 0 });
const base = { descriptor, chain: rsa.ders, privateKey: rsa.leaf.privateKey };

type Format = { name: 'jws' | 'cose'; mediaType: string; sign: (o: CoseSignOptions) => Buffer };
const formats: Format[] = [
  { name: 'jws', mediaType: JWS, sign: signJws },
  { name: 'cose', mediaType: COSE, sign: signCose },
];

function parse(format: Format, options: Partial<CoseSignOptions> = {}) {
  return parseEnvelope(format.sign({ ...base, ...options }), format.mediaType);
}

describe.each(formats)('$name envelope', (format) => {
  it.each(ALGORITHM_KEY_TYPES)('%s signature over a %s key parses and verifies', (algorithm, keyType) => {
    const chain = createChain({ prefix: `Envelope ${keyType}`, keyType, intermediates: 0 });
    const envelope = parseEnvelope(format.sign({ descriptor, chain: chain.ders, privateKey: chain.leaf.privateKey }), format.mediaType);
    expect(envelope.kind).toBe(format.name);
    expect(envelope.signed.algorithm).toBe(algorithm);
    expect(envelope.payload.targetArtifact).toEqual(descriptor);
    expect(envelope.certificateChain.map((der) => Buffer.from(der))).toEqual(chain.ders);
    expect(() => verifyEnvelopeSignature(envelope, chain.leaf.publicKey)).not.toThrow();
  });

  it('exposes the signed attributes, timestamp token and signing agent', () => {
    const envelope = parse(format, {
      signingTime: new Date('2026-05-01T10:00:00Z'),
      expiry: new Date('2027-01-01T00:00:00Z'),
      extraProtected: { 'com.example.note': 'hello' },
      timestamp: (signature) => Buffer.concat([Buffer.from('token:'), signature.subarray(0, 4)]),
      signingAgent: 'agent/1',
    });
    expect(envelope.signed).toMatchObject({
      signingScheme: 'notary.x509',
      signingTime: new Date('2026-05-01T10:00:00Z'),
      authenticSigningTime: false,
      expiry: new Date('2027-01-01T00:00:00Z'),
      extendedAttributes: { 'com.example.note': 'hello' },
    });
    expect(Buffer.from(envelope.timestampToken ?? []).subarray(0, 6).toString()).toBe('token:');
    expect(Buffer.from(envelope.timestampToken ?? []).subarray(6)).toEqual(Buffer.from(envelope.signature).subarray(0, 4));
    expect(envelope.signingAgent).toBe('agent/1');
  });

  it('reads the authentic signing time of the signingAuthority scheme', () => {
    const envelope = parse(format, { scheme: 'notary.x509.signingAuthority', signingTime: new Date('2026-04-01T00:00:00Z') });
    expect(envelope.signed).toMatchObject({ signingScheme: 'notary.x509.signingAuthority', authenticSigningTime: true, signingTime: new Date('2026-04-01T00:00:00Z') });
  });

  const broken: Array<[string, Partial<CoseSignOptions>, string]> = [
    ['an algorithm outside the whitelist (RS256)', { rawAlg: format.name === 'jws' ? 'RS256' : -257 }, NotaryErrorCode.algorithm],
    ['alg none', { rawAlg: format.name === 'jws' ? 'none' : 0 }, NotaryErrorCode.algorithm],
    ['no crit', { omitProtected: ['crit'] }, NotaryErrorCode.header],
    ['an empty crit', { crit: [] }, NotaryErrorCode.header],
    ['crit without the signing scheme', { crit: ['io.cncf.notary.expiry'], expiry: new Date('2027-01-01T00:00:00Z') }, NotaryErrorCode.header],
    ['an expiry that is not critical', { crit: ['io.cncf.notary.signingScheme'], expiry: new Date('2027-01-01T00:00:00Z') }, NotaryErrorCode.header],
    ['signingAuthority without a critical authentic signing time', { scheme: 'notary.x509.signingAuthority', crit: ['io.cncf.notary.signingScheme'] }, NotaryErrorCode.header],
    ['crit naming an absent header', { extraCritical: ['io.cncf.notary.expiry'] }, NotaryErrorCode.header],
    ['crit naming the signing time', { extraCritical: ['io.cncf.notary.signingTime'] }, NotaryErrorCode.header],
    ['crit listing a header twice', { extraCritical: ['io.cncf.notary.signingScheme'] }, NotaryErrorCode.header],
    ['an unknown critical header (spec MUST fail; the reference accepts it)', { extraProtected: { 'com.example.x': 'y' }, extraCritical: ['com.example.x'] }, NotaryErrorCode.unknownCritical],
    ['a verification plugin header', { extraProtected: { 'io.cncf.notary.verificationPlugin': 'p' }, extraCritical: ['io.cncf.notary.verificationPlugin'] }, NotaryErrorCode.plugin],
    ['another content type', { contentType: 'application/json' }, NotaryErrorCode.header],
    ['no content type', { omitProtected: ['cty'] }, NotaryErrorCode.header],
    ['an unknown signing scheme', { scheme: 'notary.x509.other' }, NotaryErrorCode.header],
    ['notary.x509 with an authentic signing time too', { bothTimes: true }, NotaryErrorCode.header],
    ['signingAuthority with a signing time too', { scheme: 'notary.x509.signingAuthority', bothTimes: true }, NotaryErrorCode.header],
    ['no signing time', { omitProtected: ['io.cncf.notary.signingTime'] }, NotaryErrorCode.header],
    ['an expiry equal to the signing time', { signingTime: new Date('2026-05-01T00:00:00Z'), expiry: new Date('2026-05-01T00:00:00Z') }, NotaryErrorCode.header],
    ['an expiry before the signing time', { signingTime: new Date('2026-05-01T00:00:00Z'), expiry: new Date('2026-04-01T00:00:00Z') }, NotaryErrorCode.header],
    ['a payload that is not JSON', { payloadBytes: Buffer.from('not json') }, NotaryErrorCode.payload],
    ['a payload without targetArtifact', { payloadBytes: Buffer.from('{"subject":{}}') }, NotaryErrorCode.payload],
    ['a descriptor with a bad digest', { payloadBytes: Buffer.from(JSON.stringify({ targetArtifact: { ...descriptor, digest: 'nope' } })) }, NotaryErrorCode.payload],
    ['a descriptor with a negative size', { payloadBytes: Buffer.from(JSON.stringify({ targetArtifact: { ...descriptor, size: -1 } })) }, NotaryErrorCode.payload],
    ['no certificate chain', { rawChain: [] }, NotaryErrorCode.chain],
    ['a signed header in the unprotected bucket', { extraUnprotected: { 'io.cncf.notary.expiry': 'x' } }, NotaryErrorCode.header],
  ];
  it.each(broken)('rejects %s', async (_name, options, code) => {
    const error = await expectAppError(() => parse(format, options), code, 'verification-failed');
    expect(error).toBeInstanceOf(NotaryError);
  });

  it.each<[string, Partial<CoseSignOptions>]>([
    ['a corrupted signature', { corruptSignature: true }],
    ['a signature made with another hash than alg says', { algorithm: 'PS256', signWith: 'PS384' }],
    ['an RSASSA-PSS salt longer than the hash (reference JWS path accepts any salt; trustgate does not)', { pssSaltLength: 100 }],
  ])('fails signature verification for %s', async (_name, options) => {
    const envelope = parse(format, options);
    await expectAppError(() => verifyEnvelopeSignature(envelope, rsa.leaf.publicKey), NotaryErrorCode.signature);
  });

  it('fails verification with a key other than the signer', async () => {
    const other = createChain({ prefix: 'Envelope other', intermediates: 0 });
    await expectAppError(() => verifyEnvelopeSignature(parse(format), other.leaf.publicKey), NotaryErrorCode.signature);
  });
});

describe('JWS specifics', () => {
  const valid = JSON.parse(signJws(base).toString()) as Record<string, unknown>;
  const reencode = (changes: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...valid, ...changes }));

  it.each<[string, Buffer, string]>([
    ['a padded payload segment', reencode({ payload: `${String(valid.payload)}=` }), NotaryErrorCode.malformed],
    ['a standard-base64 payload segment', reencode({ payload: `${String(valid.payload)}+/` }), NotaryErrorCode.malformed],
    ['a non-canonical base64url tail', reencode({ signature: 'AB' }), NotaryErrorCode.malformed],
    ['an unexpected top-level member', reencode({ signatures: [] }), NotaryErrorCode.malformed],
    ['a compact serialization', Buffer.from(`${String(valid.protected)}.${String(valid.payload)}.${String(valid.signature)}`), NotaryErrorCode.malformed],
    ['a header that is not an object', reencode({ header: 'x' }), NotaryErrorCode.malformed],
    ['x5c without base64 padding', reencode({ header: { x5c: ['AA'] } }), NotaryErrorCode.malformed],
    ['x5c with a line break (Go skips it; trustgate does not)', reencode({ header: { x5c: [`${(valid.header as { x5c: string[] }).x5c[0]!.slice(0, 64)}\n${(valid.header as { x5c: string[] }).x5c[0]!.slice(64)}`] } }), NotaryErrorCode.malformed],
    ['x5c that is a string', reencode({ header: { x5c: (valid.header as { x5c: string[] }).x5c[0] } }), NotaryErrorCode.chain],
    ['a header in both buckets', reencode({ header: { ...(valid.header as object), alg: 'PS256' } }), NotaryErrorCode.header],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), NotaryErrorCode.malformed],
  ])('rejects %s', async (_name, bytes, code) => {
    await expectAppError(() => parseEnvelope(bytes, JWS), code);
  });

  it.each([
    ['2026-05-01T10:00:00+08:00', '2026-05-01T02:00:00.000Z'],
    ['2026-05-01T10:00:00.5Z', '2026-05-01T10:00:00.500Z'],
    ['2026-05-01t10:00:00z', '2026-05-01T10:00:00.000Z'],
  ])('accepts RFC 3339 signing time %s', (text, iso) => {
    const envelope = parseEnvelope(signJws({ ...base, extraProtected: { 'io.cncf.notary.signingTime': text } }), JWS);
    expect(envelope.signed.signingTime.toISOString()).toBe(iso);
  });

  it.each(['2026-02-30T00:00:00Z', '2026-05-01 10:00:00Z', '2026-05-01T24:00:00Z', '2026-05-01T10:00:00', 1700000000])(
    'rejects signing time %s',
    async (value) => {
      await expectAppError(() => parseEnvelope(signJws({ ...base, extraProtected: { 'io.cncf.notary.signingTime': value } }), JWS), NotaryErrorCode.header);
    },
  );

  it('ignores unknown unprotected members (the mock corpus writes SigningAgent with a capital S)', () => {
    expect(parseEnvelope(signJws({ ...base, extraUnprotected: { 'io.cncf.notary.SigningAgent': 'x' } }), JWS).kind).toBe('jws');
  });
});

describe('COSE specifics', () => {
  it.each<[string, Partial<CoseSignOptions>, string]>([
    ['an untagged COSE_Sign1', { untagged: true }, NotaryErrorCode.malformed],
    ['times as bare numbers instead of tag 1', { untaggedTimes: true }, NotaryErrorCode.header],
    ['x5chain in the protected header (spec allows it; reference and trustgate do not)', { x5chainProtected: true }, NotaryErrorCode.chain],
    ['x5chain as a single bstr', { rawChain: rsa.ders[0] }, NotaryErrorCode.chain],
    ['an integer label in crit', { crit: ['io.cncf.notary.signingScheme', 1] }, NotaryErrorCode.header],
  ])('rejects %s', async (_name, options, code) => {
    await expectAppError(() => parse(formats[1]!, options), code);
  });

  const valid = signCose(base);
  it.each<[string, Buffer]>([
    ['trailing bytes', Buffer.concat([valid, Buffer.from([0x00])])],
    ['a truncated message', valid.subarray(0, valid.length - 3)],
    ['an indefinite-length array', Buffer.concat([Buffer.from([0xd2, 0x9f]), valid.subarray(2), Buffer.from([0xff])])],
    ['another tag', Buffer.concat([Buffer.from([0xd1]), valid.subarray(1)])],
    ['an empty input', Buffer.alloc(0)],
  ])('rejects %s', async (_name, bytes) => {
    await expectAppError(() => parseEnvelope(bytes, COSE), NotaryErrorCode.malformed);
  });

  it('rejects a protected header with a duplicate label', async () => {
    // {1: -37, 1: -37} as the protected bstr: duplicate keys are not well-formed for COSE (go-cose DupMapKeyEnforcedAPF).
    const message = Buffer.from('d28445a2013824013824a040f6', 'hex');
    await expectAppError(() => parseEnvelope(message, COSE), NotaryErrorCode.malformed);
  });

  it('rejects an ECDSA signature in DER form', async () => {
    const ec = createChain({ prefix: 'Envelope DER', keyType: 'ec-p256', intermediates: 0 });
    const jws = JSON.parse(signJws({ descriptor, chain: ec.ders, privateKey: ec.leaf.privateKey }).toString()) as Record<string, string>;
    const der = sign('sha256', Buffer.from(`${jws.protected}.${jws.payload}`), ec.leaf.privateKey);
    const envelope = parseEnvelope(Buffer.from(JSON.stringify({ ...jws, signature: der.toString('base64url') })), JWS);
    await expectAppError(() => verifyEnvelopeSignature(envelope, ec.leaf.publicKey), NotaryErrorCode.signature);
  });
});

it('rejects an unknown envelope media type', async () => {
  await expectAppError(() => parseEnvelope(signJws(base), 'application/vnd.oci.image.layer.v1.tar'), NotaryErrorCode.mediaType, 'verification-failed');
});

it('rejects a key of the wrong family without throwing anything but a NotaryError', async () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  await expectAppError(() => verifyEnvelopeSignature(parse(formats[0]!), publicKey), NotaryErrorCode.signature);
});
