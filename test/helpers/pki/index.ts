/**
 * The test-time PKI: real certificates, RFC 3161 tokens, CRLs and OCSP responses made in-process with
 * node:crypto + @peculiar/asn1-*, relative to the fixed PKI_NOW. Every factory has knobs to break exactly
 * one property, so each verifier rule can get a passing and a failing case.
 */
export { PKI_NOW, addDays, addMs, daysFromNow } from './time.js';
export { keyFor, pairedHash } from './keys.js';
export type { KeyType, KeyPair, HashName } from './keys.js';
export { createCertificate, createCa, createLeaf, toPem } from './certs.js';
export type { TestCert, CertOptions, CaOptions, LeafOptions, LeafProfile } from './certs.js';
export { createChain, chainOf } from './chains.js';
export type { TestChain, ChainOptions } from './chains.js';
export { EKU } from './extensions.js';
export type { BasicConstraintsSpec, KeyUsageSpec, EkuSpec, RawExtension, KeyUsageBit } from './extensions.js';
export { nameDer } from './names.js';
export { createTsa, issueTimestampToken, CMS_ATTR, BASELINE_TSA_POLICY } from './tsa.js';
export type { TestTsa, TsaOptions, TimestampOptions } from './tsa.js';
export { issueCrl } from './crl.js';
export type { CrlOptions, RevokedEntry, RevocationReason } from './crl.js';
export { issueOcspResponse, certIdFor, requestedSerials } from './ocsp.js';
export type { OcspResponseOptions, OcspCertStatus } from './ocsp.js';
export { RevocationResponder, startRevocationServer } from './responder.js';
export type { Fault, OcspAnswer, OcspRoute, SeenRequest, RevocationServer } from './responder.js';
