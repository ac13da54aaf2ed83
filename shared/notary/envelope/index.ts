export { parseEnvelope } from './parse.js';
export { parseJwsEnvelope } from './jws.js';
export { parseCoseEnvelope } from './cose.js';
export { verifyEnvelopeSignature } from './signature.js';
export { algorithmFromCoseLabel, algorithmFromJwsName, algorithmInfo } from './algorithms.js';
export type { AlgorithmInfo, SignatureAlgorithm } from './algorithms.js';
export { encodeSigStructure } from './sig-structure.js';
export type { ParsedEnvelope, SignedAttributes } from './types.js';
export { MAX_ENVELOPE_BYTES, MAX_ENVELOPE_JSON_DEPTH, MAX_CHAIN_CERTIFICATES } from './bounds.js';
