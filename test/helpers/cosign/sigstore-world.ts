import { createHash, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { bundleToJSON } from '@sigstore/bundle';
import { initializeCA, initializeCTLog, initializeTLog, initializeTSA, rekorHandler, tsaHandler } from '@sigstore/mock';
import { HashAlgorithm, PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder, MessageSignatureBundleBuilder, RekorWitness, TSAWitness, type Signer, type Witness } from '@sigstore/sign';

/**
 * A private Sigstore instance for tests, built from @sigstore/mock's real CA (Fulcio), CT log, transparency
 * log (Rekor) and TSA, driven in-process (no HTTP), with @sigstore/sign assembling real bundles.
 * `at` is the instant the CA issues certificates and the log integrates entries.
 */
export interface SigstoreWorld {
  at: Date;
  /** trusted_root.json text naming this world's CA, Rekor, CT log and TSA. */
  trustedRootJson: string;
  /** Keyless: a fresh key, a Fulcio certificate for (subject, issuer), witnessed by Rekor (+ TSA when asked). */
  signKeyless(artifact: Artifact, identity: { subject: string; issuer: string }, options?: WitnessOptions): Promise<Bundle>;
  /** Keyed: the given private key signs, Rekor (+ TSA) witnesses. */
  signKeyed(artifact: Artifact, privateKey: KeyObject, options?: WitnessOptions & { hash?: string | null }): Promise<Bundle>;
}

export interface Artifact {
  /** 'message' signs the bytes (cosign simple signing); 'dsse' wraps them with payloadType (in-toto bundles). */
  kind: 'message' | 'dsse';
  data: Buffer;
  payloadType?: string;
}

export interface WitnessOptions {
  /** Optional. Log in Rekor. Default: true. */
  tlog?: boolean;
  /** Optional. Ask the TSA for an RFC 3161 timestamp. Default: false. */
  tsa?: boolean;
  /** Optional. A world whose Rekor logs this entry instead (an untrusted log). */
  rekorOf?: SigstoreWorld;
  /** Optional. This world's Rekor integrates the entry this many ms after `at`. Default: 0. */
  tlogDelayMs?: number;
}

const OID_FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const REKOR_URL = 'https://rekor.test';

export async function createSigstoreWorld(at: Date): Promise<SigstoreWorld> {
  const ec = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ctlog = await initializeCTLog(ec(), at);
  const ca = await initializeCA(ec(), ctlog, at);
  const tlogKey = ec();
  const tlog = await initializeTLog(REKOR_URL, tlogKey, at);
  const tsa = await initializeTSA(ec(), at);
  const timestamps = tsaHandler(tsa);

  const rekorWitness = async (delayMs = 0): Promise<Witness> => {
    const rekor = rekorHandler(delayMs === 0 ? tlog : await initializeTLog(REKOR_URL, tlogKey, new Date(at.getTime() + delayMs)));
    const witness = new RekorWitness({ rekorBaseURL: REKOR_URL, entryType: 'intoto' });
    // 'intoto': the mock log stores proposed entries as-is, and only intoto bodies keep the signature as the real log would.
    // In-process transport: the mock Rekor handler answers what the HTTP client would have sent.
    (witness as unknown as { tlogV1: unknown }).tlogV1 = {
      createEntry: async (proposed: object) => {
        const answer = await rekor.fn(JSON.stringify(proposed));
        const [uuid, entry] = Object.entries(JSON.parse(String(answer.response)) as Record<string, object>)[0] as [string, object];
        return { ...entry, uuid };
      },
    };
    return witness;
  };
  const tsaWitness = (): Witness => {
    const witness = new TSAWitness({ tsaBaseURL: 'https://tsa.test' });
    (witness as unknown as { tsa: unknown }).tsa = {
      createTimestamp: async (signature: Buffer) => {
        const answer = await timestamps.fn(JSON.stringify({ artifactHash: createHash('sha256').update(signature).digest('base64'), hashAlgorithm: 'sha256' }));
        return Buffer.from(answer.response as Uint8Array);
      },
    };
    return witness;
  };

  const world: SigstoreWorld & { witnesses(options: WitnessOptions): Promise<Witness[]> } = {
    at,
    trustedRootJson: JSON.stringify(
      TrustedRoot.toJSON({
        mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
        tlogs: [logInstance(REKOR_URL, tlog.publicKey, createHash('sha256').update(tlog.publicKey).digest(), at)],
        ctlogs: [logInstance('https://ctfe.test', ctlog.publicKey, Buffer.from(ctlog.logID.buffer, ctlog.logID.byteOffset, ctlog.logID.byteLength), at)],
        certificateAuthorities: [{ subject: { organization: 'sigstore.mock', commonName: 'sigstore' }, uri: 'https://fulcio.test', certChain: { certificates: [{ rawBytes: Buffer.from(ca.rootCertificate.buffer) }] }, validFor: { start: new Date(at.getTime() - 86_400_000) }, operator: 'test' }],
        timestampAuthorities: [{ subject: { organization: 'sigstore.mock', commonName: 'tsa' }, uri: 'https://tsa.test', certChain: { certificates: [{ rawBytes: Buffer.from(tsa.intCertificate.buffer) }, { rawBytes: Buffer.from(tsa.rootCertificate.buffer) }] }, validFor: { start: new Date(at.getTime() - 86_400_000) }, operator: 'test' }],
      }),
      null,
      2,
    ),
    async witnesses(options) {
      const other = options.rekorOf as typeof world | undefined;
      const log = options.tlog === false ? [] : other ? await other.witnesses({}) : [await rekorWitness(options.tlogDelayMs)];
      return [...log, ...(options.tsa ? [tsaWitness()] : [])];
    },
    async signKeyless(artifact, identity, options = {}) {
      const signer: Signer = {
        async sign(data) {
          const { publicKey, privateKey } = ec();
          const der = await ca.issueCertificate({ publicKey: publicKey.export({ type: 'spki', format: 'der' }), subjectAltName: identity.subject, extensions: identity.issuer ? [{ oid: OID_FULCIO_ISSUER_V2, value: identity.issuer }] : [] });
          return { signature: nodeSign('sha256', data, privateKey), key: { $case: 'x509Certificate', certificate: toPem(Buffer.from(der.buffer, der.byteOffset, der.byteLength)) } };
        },
      };
      return build(artifact, signer, await world.witnesses(options));
    },
    async signKeyed(artifact, privateKey, options = {}) {
      const publicPem = (privateKey.type === 'private' ? (await import('node:crypto')).createPublicKey(privateKey) : privateKey).export({ type: 'spki', format: 'pem' }).toString();
      const hash = options.hash === undefined ? (privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256') : options.hash;
      const signer: Signer = { sign: async (data) => ({ signature: nodeSign(hash, data, privateKey), key: { $case: 'publicKey', publicKey: publicPem } }) };
      return build(artifact, signer, await world.witnesses(options));
    },
  };
  return world;
}

function build(artifact: Artifact, signer: Signer, witnesses: Witness[]): Promise<Bundle> {
  if (artifact.kind === 'message') return new MessageSignatureBundleBuilder({ signer, witnesses }).create({ data: artifact.data });
  return new DSSEBundleBuilder({ signer, witnesses }).create({ data: artifact.data, type: artifact.payloadType ?? 'application/vnd.in-toto+json' });
}

function logInstance(baseUrl: string, spki: Buffer, keyId: Buffer, at: Date) {
  return { baseUrl, hashAlgorithm: HashAlgorithm.SHA2_256, publicKey: { rawBytes: spki, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start: new Date(at.getTime() - 86_400_000) } }, logId: { keyId }, checkpointKeyId: undefined, operator: 'test' };
}

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  return `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** The bundle's JSON text as cosign stores it in a referrer layer. */
export function bundleJson(bundle: Bundle): string {
  return JSON.stringify(bundleToJSON(bundle));
}
