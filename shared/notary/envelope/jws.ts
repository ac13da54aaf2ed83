import {
  HEADER_SIGNING_AGENT,
  HEADER_SIGNING_SCHEME,
  HEADER_TIMESTAMP_SIGNATURE,
  JWS_HEADER_ALG,
  JWS_HEADER_CRIT,
  JWS_HEADER_CTY,
  JWS_HEADER_X5C,
  MEDIA_TYPE_JWS,
  NOTARY_SIGNED_HEADERS,
} from '../constants.js';
import { NotaryErrorCode, notaryFailure } from '../errors.js';
import { isPlainObject, parseJsonBytes, parsePayload } from '../payload.js';
import { algorithmFromJwsName } from './algorithms.js';
import { assertChainLength, assertEnvelopeSize, assertShallowJson } from './bounds.js';
import { decodeBase64Strict, decodeBase64UrlStrict, parseRfc3339 } from './encoding.js';
import { addTimeHeaders, assertPluginHeadersAreText, validateSignedAttributes } from './headers.js';
import type { ParsedEnvelope, ProtectedHeaderView } from './types.js';

const TOP_LEVEL_MEMBERS = new Set(['payload', 'protected', 'header', 'signature']);
/** JWS header parameters registered by RFC 7515 §4.1 / RFC 7519 §5: never extended attributes, never in Notary's crit. */
const REGISTERED = new Set([JWS_HEADER_ALG, JWS_HEADER_CRIT, JWS_HEADER_CTY, 'typ', 'jku', 'jwk', 'kid', 'x5u', JWS_HEADER_X5C, 'x5t', 'x5t#S256']);
const NOTARY_DEFINED = new Set(NOTARY_SIGNED_HEADERS);

/**
 * Parses a JWS JSON (flattened) serialization of a Notary signature (signature-envelope-jws.md, RFC 7515 §7.2.2).
 * Strict: unpadded canonical base64url segments, standard padded base64 for x5c and the timestamp,
 * only the four flattened members at the top level, no header in both buckets.
 */
export function parseJwsEnvelope(bytes: Uint8Array): ParsedEnvelope {
  assertEnvelopeSize(bytes);
  assertShallowJson(bytes, 'JWS envelope');
  const envelope = parseJsonBytes(bytes, 'JWS envelope', NotaryErrorCode.malformed);
  if (!isPlainObject(envelope)) throw notaryFailure(NotaryErrorCode.malformed, 'JWS envelope is not a JSON object');
  const unexpected = Object.keys(envelope).filter((key) => !TOP_LEVEL_MEMBERS.has(key));
  if (unexpected.length > 0) throw notaryFailure(NotaryErrorCode.malformed, `JWS envelope has unexpected members: ${unexpected.join(', ')}`);
  const { payload, protected: protectedText, header, signature } = envelope;
  if (typeof payload !== 'string' || typeof protectedText !== 'string' || typeof signature !== 'string' || !isPlainObject(header)) {
    throw notaryFailure(NotaryErrorCode.malformed, 'JWS envelope needs string payload, protected, signature and an object header');
  }
  const payloadBytes = decodeBase64UrlStrict(payload, 'JWS payload');
  assertShallowJson(payloadBytes, 'JWS payload');
  const protectedBytes = decodeBase64UrlStrict(protectedText, 'JWS protected header');
  assertShallowJson(protectedBytes, 'JWS protected header');
  const protectedHeader = parseJsonBytes(protectedBytes, 'JWS protected header', NotaryErrorCode.malformed);
  if (!isPlainObject(protectedHeader)) throw notaryFailure(NotaryErrorCode.malformed, 'JWS protected header is not a JSON object');
  const signatureBytes = decodeBase64UrlStrict(signature, 'JWS signature');
  if (signatureBytes.length === 0) throw notaryFailure(NotaryErrorCode.malformed, 'JWS signature is empty');

  const overlap = Object.keys(header).filter((key) => Object.hasOwn(protectedHeader, key));
  if (overlap.length > 0) throw notaryFailure(NotaryErrorCode.header, `headers in both buckets: ${overlap.join(', ')}`);
  const misplaced = Object.keys(header).filter((key) => NOTARY_DEFINED.has(key) || key === JWS_HEADER_ALG || key === JWS_HEADER_CRIT || key === JWS_HEADER_CTY);
  if (misplaced.length > 0) throw notaryFailure(NotaryErrorCode.header, `signed headers in the unprotected header: ${misplaced.join(', ')}`);

  const signed = validateSignedAttributes(protectedView(protectedHeader));
  const parsed: ParsedEnvelope = {
    kind: 'jws',
    mediaType: MEDIA_TYPE_JWS,
    payloadBytes,
    payload: parsePayload(payloadBytes),
    signed,
    signature: signatureBytes,
    signedBytes: Buffer.from(`${protectedText}.${payload}`, 'ascii'),
    certificateChain: certificateChain(header[JWS_HEADER_X5C]),
  };
  const token = header[HEADER_TIMESTAMP_SIGNATURE];
  if (token !== undefined) {
    if (typeof token !== 'string') throw notaryFailure(NotaryErrorCode.malformed, `${HEADER_TIMESTAMP_SIGNATURE} is not a string`);
    const tokenBytes = decodeBase64Strict(token, HEADER_TIMESTAMP_SIGNATURE);
    if (tokenBytes.length > 0) parsed.timestampToken = tokenBytes;
  }
  const agent = header[HEADER_SIGNING_AGENT];
  if (typeof agent === 'string') parsed.signingAgent = agent;
  return parsed;
}

function protectedView(headerObject: Record<string, unknown>): ProtectedHeaderView {
  const algorithm = algorithmFromJwsName(headerObject[JWS_HEADER_ALG]);
  if (!algorithm) throw notaryFailure(NotaryErrorCode.algorithm, `alg ${JSON.stringify(headerObject[JWS_HEADER_ALG])} is not allowed`);
  const crit = headerObject[JWS_HEADER_CRIT];
  if (!Array.isArray(crit) || !crit.every((entry): entry is string => typeof entry === 'string')) {
    throw notaryFailure(NotaryErrorCode.header, 'crit must be a list of header names');
  }
  const extended: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headerObject)) {
    if (!REGISTERED.has(name) && !NOTARY_DEFINED.has(name)) extended[name] = value;
  }
  const view: ProtectedHeaderView = {
    algorithm,
    contentType: headerObject[JWS_HEADER_CTY],
    critical: crit,
    names: new Set(Object.keys(headerObject)),
    registered: REGISTERED,
    signingScheme: headerObject[HEADER_SIGNING_SCHEME],
    extended,
  };
  addTimeHeaders(view, (name) => optionalTime(headerObject, name));
  assertPluginHeadersAreText((name) => ({ present: Object.hasOwn(headerObject, name), value: headerObject[name] }), 'string');
  return view;
}

function optionalTime(headerObject: Record<string, unknown>, name: string): Date | undefined {
  if (!Object.hasOwn(headerObject, name)) return undefined;
  const value = headerObject[name];
  if (typeof value !== 'string') throw notaryFailure(NotaryErrorCode.header, `${name} is not an RFC 3339 string`);
  return parseRfc3339(value, name);
}

function certificateChain(x5c: unknown): Uint8Array[] {
  if (!Array.isArray(x5c) || x5c.length === 0) throw notaryFailure(NotaryErrorCode.chain, 'certificate chain is not present');
  assertChainLength(x5c.length);
  return x5c.map((entry, index) => {
    if (typeof entry !== 'string') throw notaryFailure(NotaryErrorCode.chain, `x5c[${index}] is not a string`);
    const der = decodeBase64Strict(entry, `x5c[${index}]`);
    if (der.length === 0) throw notaryFailure(NotaryErrorCode.chain, `x5c[${index}] is empty`);
    return der;
  });
}
