import type { SigningScheme } from '../constants.js';
import type { NotaryPayload } from '../payload.js';
import type { AlgorithmInfo, SignatureAlgorithm } from './algorithms.js';

/** Signed attributes common to both envelope formats (signature-specification.md "Signed Attributes"). */
export interface SignedAttributes {
  signingScheme: SigningScheme;
  /** `signingTime` under notary.x509, `authenticSigningTime` under notary.x509.signingAuthority. */
  signingTime: Date;
  /** True when signingTime came from `authenticSigningTime` (trusted by the signing authority). */
  authenticSigningTime: boolean;
  expiry?: Date;
  contentType: string;
  algorithm: SignatureAlgorithm;
  /** The `crit` list as received. */
  critical: string[];
  /** Protected headers Notary does not define (never critical: unknown critical headers are rejected). */
  extendedAttributes: Record<string, unknown>;
}

/** A signature envelope after strict parsing — not yet verified (see verifyEnvelopeSignature). */
export interface ParsedEnvelope {
  kind: 'jws' | 'cose';
  mediaType: string;
  payloadBytes: Uint8Array;
  payload: NotaryPayload;
  signed: SignedAttributes;
  /** The raw signature value (JWS: decoded `signature`; COSE: the signature bstr). RFC 3161 imprints hash these bytes. */
  signature: Uint8Array;
  /** Exactly the bytes the signature covers: JWS signing input, or the CBOR Sig_structure. */
  signedBytes: Uint8Array;
  /** DER certificates, leaf first. */
  certificateChain: Uint8Array[];
  /** RFC 3161 TimeStampToken (DER/BER bytes), when present and non-empty. */
  timestampToken?: Uint8Array;
  signingAgent?: string;
}

/** What a format parser hands to the shared header rules (headers.ts). */
export interface ProtectedHeaderView {
  algorithm: AlgorithmInfo;
  contentType: unknown;
  /** Critical header names; COSE integer labels are given as decimal strings. */
  critical: string[];
  /** Every protected header name present; COSE integer labels as decimal strings. */
  names: ReadonlySet<string>;
  /** Names the format registers itself (alg, crit, cty…), never valid in `crit` and never extended attributes. */
  registered: ReadonlySet<string>;
  signingScheme: unknown;
  signingTime?: Date;
  authenticSigningTime?: Date;
  expiry?: Date;
  /** Protected headers that are neither registered nor Notary-defined, by name. */
  extended: Record<string, unknown>;
}
