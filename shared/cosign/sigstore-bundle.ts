import { assertBundle, bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { isRecord, parseBoundedJson } from './bounded-json.js';
import { IN_TOTO_PAYLOAD_TYPE, IN_TOTO_STATEMENT_TYPES, LIMITS } from './constants.js';
import { CosignError } from './errors.js';

/** Parses and validates a Sigstore bundle (v0.1–v0.3) from untrusted bytes. */
export function parseSigstoreBundle(bytes: Uint8Array): Bundle {
  const json = parseBoundedJson(bytes, LIMITS.bundleBytes, 'Sigstore bundle');
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
    assertBundle(bundle);
  } catch (error) {
    throw new CosignError('ERR_COSIGN_MALFORMED', `not a valid Sigstore bundle: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const material = bundle.verificationMaterial;
  if (material.content.$case === 'x509CertificateChain' && material.content.x509CertificateChain.certificates.length > LIMITS.chainLength) {
    throw new CosignError('ERR_COSIGN_TOO_LARGE', `bundle holds more than ${LIMITS.chainLength} certificates`);
  }
  if (material.tlogEntries.length > 8 || (material.timestampVerificationData?.rfc3161Timestamps.length ?? 0) > 8) {
    throw new CosignError('ERR_COSIGN_TOO_LARGE', 'bundle holds more than 8 tlog entries or timestamps');
  }
  return bundle;
}

/**
 * The sha256 digests an in-toto statement inside a DSSE bundle names as its subjects (`sha256:<hex>`). A
 * message-signature bundle signs bytes we do not hold (the subject manifest is not given to schemes), so it is
 * unsupported here rather than guessed.
 */
export function statementSubjectDigests(bundle: Bundle): string[] {
  if (bundle.content.$case !== 'dsseEnvelope') {
    throw new CosignError('ERR_COSIGN_UNSUPPORTED', 'message-signature bundles on images are not supported; cosign signs images with DSSE in-toto bundles');
  }
  const envelope = bundle.content.dsseEnvelope;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new CosignError('ERR_COSIGN_UNSUPPORTED', `DSSE payload type ${JSON.stringify(envelope.payloadType.slice(0, 64))} is not in-toto`);
  const statement = parseBoundedJson(envelope.payload, LIMITS.payloadBytes, 'in-toto statement');
  if (!isRecord(statement) || typeof statement._type !== 'string' || !IN_TOTO_STATEMENT_TYPES.includes(statement._type) || !Array.isArray(statement.subject)) {
    throw new CosignError('ERR_COSIGN_MALFORMED', 'DSSE payload is not an in-toto statement');
  }
  const digests: string[] = [];
  for (const subject of statement.subject.slice(0, 64)) {
    const sha256 = isRecord(subject) && isRecord(subject.digest) ? subject.digest.sha256 : undefined;
    if (typeof sha256 === 'string') digests.push(`sha256:${sha256.toLowerCase()}`);
  }
  return digests;
}

/** The statement's predicate type, for display. */
export function predicateType(bundle: Bundle): string | undefined {
  if (bundle.content.$case !== 'dsseEnvelope') return undefined;
  const statement = parseBoundedJson(bundle.content.dsseEnvelope.payload, LIMITS.payloadBytes, 'in-toto statement');
  return isRecord(statement) && typeof statement.predicateType === 'string' ? statement.predicateType.slice(0, LIMITS.displayChars) : undefined;
}
