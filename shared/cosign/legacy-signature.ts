import { createHash } from 'node:crypto';
import type { Bundle, TransparencyLogEntry } from '@sigstore/bundle';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import type { Descriptor } from '../oci/index.js';
import { isRecord, parseBoundedJson } from './bounded-json.js';
import { pemCertificates } from './certificates.js';
import { ANNOTATION_BUNDLE, ANNOTATION_CERTIFICATE, ANNOTATION_CHAIN, ANNOTATION_RFC3161, ANNOTATION_SIGNATURE, LIMITS } from './constants.js';
import { CosignError } from './errors.js';

/** One signature layer of a cosign `.sig` manifest, its annotations decoded (not yet verified). */
export interface LegacySignature {
  layer: Descriptor;
  signature: Buffer;
  /** Leaf certificate (keyless), DER. */
  certificate?: Buffer;
  /** Rekor entry rebuilt from the `bundle` annotation (SET only: the legacy form carries no inclusion proof). */
  tlogEntry?: TransparencyLogEntry;
  rfc3161?: Buffer;
}

/**
 * Decodes a simple-signing layer's annotations (cosign's tag-scheme signature format): base64 signature,
 * PEM certificate and chain, the Rekor "bundle" `{SignedEntryTimestamp, Payload:{body, integratedTime,
 * logIndex, logID}}`, and `{SignedRFC3161Timestamp}`. Every value is size-bounded.
 */
export function decodeLegacyLayer(layer: Descriptor): LegacySignature {
  const annotations = layer.annotations ?? {};
  for (const [key, value] of Object.entries(annotations)) {
    if (typeof value !== 'string' || value.length > LIMITS.annotationBytes) throw new CosignError('ERR_COSIGN_TOO_LARGE', `annotation ${key.slice(0, 64)} exceeds ${LIMITS.annotationBytes} bytes`);
  }
  const b64 = annotations[ANNOTATION_SIGNATURE];
  if (!b64 || !isBase64(b64)) throw new CosignError('ERR_COSIGN_MALFORMED', `signature layer ${layer.digest} lacks a base64 ${ANNOTATION_SIGNATURE}`);
  const result: LegacySignature = { layer, signature: Buffer.from(b64, 'base64') };
  const cert = annotations[ANNOTATION_CERTIFICATE];
  if (cert) {
    const [leaf] = pemCertificates(cert, 'certificate annotation');
    result.certificate = leaf;
    const chain = annotations[ANNOTATION_CHAIN];
    // The chain is bounded but not used to build the path: only the trusted root's authorities anchor it.
    if (chain) pemCertificates(chain, 'chain annotation');
  }
  const bundle = annotations[ANNOTATION_BUNDLE];
  if (bundle) result.tlogEntry = toTlogEntry(parseBoundedJson(bundle, LIMITS.annotationBytes, 'bundle annotation'));
  const ts = annotations[ANNOTATION_RFC3161];
  if (ts) {
    const json = parseBoundedJson(ts, LIMITS.annotationBytes, 'rfc3161timestamp annotation');
    const signed = isRecord(json) ? json.SignedRFC3161Timestamp : undefined;
    if (typeof signed !== 'string' || !isBase64(signed)) throw new CosignError('ERR_COSIGN_MALFORMED', 'rfc3161timestamp annotation lacks SignedRFC3161Timestamp');
    result.rfc3161 = Buffer.from(signed, 'base64');
  }
  return result;
}

function toTlogEntry(json: unknown): TransparencyLogEntry {
  const payload = isRecord(json) && isRecord(json.Payload) ? json.Payload : undefined;
  const set = isRecord(json) ? json.SignedEntryTimestamp : undefined;
  const { body, integratedTime, logIndex, logID } = payload ?? {};
  if (typeof set !== 'string' || !isBase64(set) || typeof body !== 'string' || !isBase64(body) || !isSafeCount(integratedTime) || !isSafeCount(logIndex) || typeof logID !== 'string' || !/^[0-9a-f]{64}$/.test(logID)) {
    throw new CosignError('ERR_COSIGN_MALFORMED', 'bundle annotation is not a Rekor bundle {SignedEntryTimestamp, Payload}');
  }
  const canonicalizedBody = Buffer.from(body, 'base64');
  const entryBody = parseBoundedJson(canonicalizedBody, LIMITS.annotationBytes, 'Rekor entry body');
  if (!isRecord(entryBody) || typeof entryBody.kind !== 'string' || typeof entryBody.apiVersion !== 'string') throw new CosignError('ERR_COSIGN_MALFORMED', 'Rekor entry body lacks kind/apiVersion');
  return {
    logIndex: String(logIndex),
    logId: { keyId: Buffer.from(logID, 'hex') },
    kindVersion: { kind: entryBody.kind, version: entryBody.apiVersion },
    integratedTime: String(integratedTime),
    inclusionPromise: { signedEntryTimestamp: Buffer.from(set, 'base64') },
    inclusionProof: undefined,
    canonicalizedBody,
  };
}

/**
 * The legacy signature as a Sigstore message-signature bundle over the payload, so the kept verifier checks it
 * (signature, certificate at the logged time, Rekor SET and body, RFC 3161). `withTlog`/`withTimestamps`
 * false drop that material (a keyed root without a trusted root cannot check it).
 */
export function toMessageBundle(sig: LegacySignature, payload: Uint8Array, hash: 'sha256' | 'sha384' | 'sha512', options: { withTlog: boolean; withTimestamps: boolean }): Bundle {
  const algorithm = { sha256: HashAlgorithm.SHA2_256, sha384: HashAlgorithm.SHA2_384, sha512: HashAlgorithm.SHA2_512 }[hash];
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: {
      content: sig.certificate
        ? { $case: 'x509CertificateChain', x509CertificateChain: { certificates: [{ rawBytes: sig.certificate }] } }
        : { $case: 'publicKey', publicKey: { hint: '' } },
      tlogEntries: options.withTlog && sig.tlogEntry ? [sig.tlogEntry] : [],
      timestampVerificationData: { rfc3161Timestamps: options.withTimestamps && sig.rfc3161 ? [{ signedTimestamp: sig.rfc3161 }] : [] },
    },
    content: { $case: 'messageSignature', messageSignature: { messageDigest: { algorithm, digest: createHash(hash).update(payload).digest() }, signature: sig.signature } },
  } as Bundle;
}

function isBase64(value: string): boolean {
  return value.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value.replace(/\s+/g, ''));
}

function isSafeCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
