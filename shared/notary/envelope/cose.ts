import { Decoder, Tag } from 'cbor-x';
import {
  CBOR_TAG_COSE_SIGN1,
  COSE_LABEL_ALG,
  COSE_LABEL_CONTENT_TYPE,
  COSE_LABEL_CRIT,
  COSE_LABEL_X5CHAIN,
  HEADER_SIGNING_AGENT,
  HEADER_SIGNING_SCHEME,
  HEADER_TIMESTAMP_SIGNATURE,
  MEDIA_TYPE_COSE,
  NOTARY_SIGNED_HEADERS,
} from '../constants.js';
import { NotaryErrorCode, notaryFailure } from '../errors.js';
import { parsePayload } from '../payload.js';
import { algorithmFromCoseLabel } from './algorithms.js';
import { assertChainLength, assertEnvelopeSize, assertShallowJson } from './bounds.js';
import { assertStrictCbor } from './cbor-strict.js';
import { encodeSigStructure } from './sig-structure.js';
import { addTimeHeaders, assertPluginHeadersAreText, validateSignedAttributes } from './headers.js';
import type { ParsedEnvelope, ProtectedHeaderView } from './types.js';

type Label = number | string;
type HeaderMap = Map<Label, unknown>;

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });
/** COSE header labels registered by RFC 9052 §3.1 and RFC 9360 (alg, crit, content type, kid, IV, partial IV, x5bag, x5chain, x5t, x5u). */
const REGISTERED = new Set(['1', '2', '3', '4', '5', '6', '32', '33', '34', '35']);
const NOTARY_DEFINED = new Set(NOTARY_SIGNED_HEADERS);

/**
 * Parses a COSE_Sign1_Tagged Notary signature (signature-envelope-cose.md, RFC 9052 §4.2).
 * Strict like go-cose (tag 18 required, definite lengths, no duplicate keys, tag-1 datetimes) and like
 * notation-core-go (x5chain only as an unprotected array of bstr), plus: x5chain in the protected
 * bucket is rejected rather than ignored.
 */
export function parseCoseEnvelope(bytes: Uint8Array): ParsedEnvelope {
  assertEnvelopeSize(bytes);
  if (bytes[0] !== 0xd2) throw notaryFailure(NotaryErrorCode.malformed, 'COSE envelope is not a tagged COSE_Sign1 (tag 18)');
  assertStrictCbor(bytes, { rootTag: CBOR_TAG_COSE_SIGN1 });
  const message = decodeCbor(bytes);
  if (!(message instanceof Tag) || message.tag !== CBOR_TAG_COSE_SIGN1 || !Array.isArray(message.value) || message.value.length !== 4) {
    throw notaryFailure(NotaryErrorCode.malformed, 'COSE_Sign1 must be a tagged array of four items');
  }
  const [protectedBytes, unprotected, payload, signature] = message.value as unknown[];
  if (!(protectedBytes instanceof Uint8Array) || protectedBytes.length === 0) {
    throw notaryFailure(NotaryErrorCode.malformed, 'COSE protected header must be a non-empty bstr');
  }
  if (!(unprotected instanceof Map)) throw notaryFailure(NotaryErrorCode.malformed, 'COSE unprotected header must be a map');
  if (!(payload instanceof Uint8Array)) throw notaryFailure(NotaryErrorCode.malformed, 'COSE payload must be an attached bstr');
  if (!(signature instanceof Uint8Array) || signature.length === 0) throw notaryFailure(NotaryErrorCode.malformed, 'COSE signature must be a bstr');

  assertStrictCbor(protectedBytes);
  const protectedMap = decodeCbor(protectedBytes);
  if (!(protectedMap instanceof Map) || protectedMap.size === 0) throw notaryFailure(NotaryErrorCode.malformed, 'COSE protected header is not a map');
  const protectedHeader = checkLabels(protectedMap, 'protected');
  const unprotectedHeader = checkLabels(unprotected, 'unprotected');
  checkBuckets(protectedHeader, unprotectedHeader);

  const signed = validateSignedAttributes(protectedView(protectedHeader));
  const parsed: ParsedEnvelope = {
    kind: 'cose',
    mediaType: MEDIA_TYPE_COSE,
    payloadBytes: payload,
    payload: (assertShallowJson(payload, 'COSE payload'), parsePayload(payload)),
    signed,
    signature,
    signedBytes: encodeSigStructure(protectedBytes, payload),
    certificateChain: certificateChain(unprotectedHeader.get(COSE_LABEL_X5CHAIN)),
  };
  const token = unprotectedHeader.get(HEADER_TIMESTAMP_SIGNATURE);
  if (token !== undefined) {
    if (!(token instanceof Uint8Array)) throw notaryFailure(NotaryErrorCode.malformed, `${HEADER_TIMESTAMP_SIGNATURE} is not a bstr`);
    if (token.length > 0) parsed.timestampToken = token;
  }
  const agent = unprotectedHeader.get(HEADER_SIGNING_AGENT);
  if (typeof agent === 'string') parsed.signingAgent = agent;
  return parsed;
}

function decodeCbor(bytes: Uint8Array): unknown {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw notaryFailure(NotaryErrorCode.malformed, 'COSE envelope is not valid CBOR', error);
  }
}

/** Labels are ints or text; text that looks like an int would alias an int label in our name space. */
function checkLabels(map: Map<unknown, unknown>, bucket: string): HeaderMap {
  for (const label of map.keys()) {
    const validInt = typeof label === 'number' && Number.isSafeInteger(label);
    const validText = typeof label === 'string' && !/^-?\d+$/.test(label);
    if (!validInt && !validText) throw notaryFailure(NotaryErrorCode.malformed, `COSE ${bucket} header has an invalid label`);
  }
  return map as HeaderMap;
}

function checkBuckets(protectedHeader: HeaderMap, unprotectedHeader: HeaderMap): void {
  for (const label of unprotectedHeader.keys()) {
    if (protectedHeader.has(label)) throw notaryFailure(NotaryErrorCode.header, `header ${String(label)} is in both buckets`);
    const signedOnly = label === COSE_LABEL_ALG || label === COSE_LABEL_CRIT || label === COSE_LABEL_CONTENT_TYPE || NOTARY_DEFINED.has(String(label));
    if (signedOnly) throw notaryFailure(NotaryErrorCode.header, `header ${String(label)} must be protected`);
  }
  if (protectedHeader.has(COSE_LABEL_X5CHAIN)) {
    throw notaryFailure(NotaryErrorCode.chain, 'x5chain in the protected header is not supported; it must be unprotected');
  }
}

function protectedView(header: HeaderMap): ProtectedHeaderView {
  const algorithm = algorithmFromCoseLabel(header.get(COSE_LABEL_ALG));
  if (!algorithm) throw notaryFailure(NotaryErrorCode.algorithm, `COSE alg ${String(header.get(COSE_LABEL_ALG))} is not allowed`);
  const crit = header.get(COSE_LABEL_CRIT);
  if (!Array.isArray(crit) || !crit.every((entry) => typeof entry === 'string' || (typeof entry === 'number' && Number.isSafeInteger(entry)))) {
    throw notaryFailure(NotaryErrorCode.header, 'crit must be a list of labels');
  }
  const names = new Set([...header.keys()].map(String));
  const extended: Record<string, unknown> = {};
  for (const [label, value] of header) {
    if (!REGISTERED.has(String(label)) && !NOTARY_DEFINED.has(String(label))) extended[String(label)] = value;
  }
  const view: ProtectedHeaderView = {
    algorithm,
    contentType: header.get(COSE_LABEL_CONTENT_TYPE),
    critical: crit.map(String),
    names,
    registered: REGISTERED,
    signingScheme: header.get(HEADER_SIGNING_SCHEME),
    extended,
  };
  addTimeHeaders(view, (name) => optionalTime(header, name));
  assertPluginHeadersAreText((name) => ({ present: header.has(name), value: header.get(name) }), 'tstr');
  return view;
}

/** Notary times in COSE are tag-1 epoch datetimes (cbor-x turns them into Date); bare numbers are rejected. */
function optionalTime(header: HeaderMap, name: string): Date | undefined {
  if (!header.has(name)) return undefined;
  const value = header.get(name);
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw notaryFailure(NotaryErrorCode.header, `${name}: only a tag-1 datetime is supported`);
  }
  return value;
}

function certificateChain(x5chain: unknown): Uint8Array[] {
  if (Array.isArray(x5chain)) assertChainLength(x5chain.length);
  if (!Array.isArray(x5chain) || x5chain.length === 0 || !x5chain.every((entry) => entry instanceof Uint8Array && entry.length > 0)) {
    throw notaryFailure(NotaryErrorCode.chain, 'certificate chain is not present (x5chain must be an unprotected array of bstr)');
  }
  return x5chain as Uint8Array[];
}
