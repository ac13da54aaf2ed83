import { Encoder, Tag } from 'cbor-x';
import {
  CBOR_TAG_COSE_SIGN1,
  CBOR_TAG_EPOCH_DATETIME,
  COSE_LABEL_ALG,
  COSE_LABEL_CONTENT_TYPE,
  COSE_LABEL_CRIT,
  COSE_LABEL_X5CHAIN,
  HEADER_SIGNING_AGENT,
  HEADER_TIMESTAMP_SIGNATURE,
  PAYLOAD_CONTENT_TYPE,
} from '../../../shared/notary/constants.js';
import { algorithmInfo, encodeSigStructure } from '../../../shared/notary/envelope/index.js';
import { algorithmForKey, defaultCrit, notaryHeaders, payloadBytesOf, signValue } from './common.js';
import type { CoseSignOptions } from './options.js';

const encoder = new Encoder({ mapsAsObjects: false, useRecords: false, tagUint8Array: false });

const LABEL_ALIASES: Record<string, number> = { alg: COSE_LABEL_ALG, crit: COSE_LABEL_CRIT, cty: COSE_LABEL_CONTENT_TYPE };

/** A Notary COSE_Sign1_Tagged envelope as notation would write it, with breakable knobs. */
export function signCose(options: CoseSignOptions): Buffer {
  const algorithm = options.algorithm ?? algorithmForKey(options.privateKey);
  const chain = options.rawChain ?? options.chain.map((der) => Buffer.from(der));
  const header = new Map<number | string, unknown>([
    [COSE_LABEL_ALG, options.rawAlg ?? algorithmInfo(algorithm).coseLabel],
    [COSE_LABEL_CRIT, options.crit ?? defaultCrit(options)],
    [COSE_LABEL_CONTENT_TYPE, options.contentType ?? PAYLOAD_CONTENT_TYPE],
  ]);
  for (const [name, value] of notaryHeaders(options)) header.set(name, value instanceof Date ? time(value, options.untaggedTimes) : value);
  for (const [name, value] of Object.entries(options.extraProtected ?? {})) header.set(name, value);
  for (const name of options.omitProtected ?? []) header.delete(LABEL_ALIASES[name] ?? name);
  if (options.x5chainProtected) header.set(COSE_LABEL_X5CHAIN, chain);

  const protectedBytes = Buffer.from(encoder.encode(header));
  const payload = payloadBytesOf(options);
  const signature = signValue(options, algorithm, encodeSigStructure(protectedBytes, payload));
  const unprotected = new Map<number | string, unknown>([[HEADER_SIGNING_AGENT, options.signingAgent ?? 'trustgate-test-signer/1']]);
  if (!options.x5chainProtected) unprotected.set(COSE_LABEL_X5CHAIN, chain);
  if (options.timestamp) unprotected.set(HEADER_TIMESTAMP_SIGNATURE, Buffer.from(options.timestamp(signature)));
  for (const [name, value] of Object.entries(options.extraUnprotected ?? {})) unprotected.set(name, value);
  const message = [protectedBytes, unprotected, payload, signature];
  return Buffer.from(encoder.encode(options.untagged ? message : new Tag(message, CBOR_TAG_COSE_SIGN1)));
}

function time(value: Date, untagged = false): unknown {
  const seconds = Math.floor(value.getTime() / 1000);
  return untagged ? seconds : new Tag(seconds, CBOR_TAG_EPOCH_DATETIME);
}
