import type { KeyObject } from 'node:crypto';
import type { SigningScheme } from '../../../shared/notary/constants.js';
import type { Descriptor } from '../../../shared/notary/payload.js';
import type { SignatureAlgorithm } from '../../../shared/notary/envelope/index.js';

/**
 * What the test signer makes. Defaults produce a spec-exact envelope; each optional knob breaks one rule.
 */
export interface SignOptions {
  /** Required. The artifact descriptor put into `targetArtifact`. */
  descriptor: Descriptor;
  /** Required. DER certificates, leaf first (x5c / x5chain). */
  chain: Uint8Array[];
  /** Required. The leaf's private key. */
  privateKey: KeyObject;
  /** Optional. Header algorithm. Default: the one implied by the key (RSA-2048 → PS256 … P-521 → ES512). */
  algorithm?: SignatureAlgorithm;
  /** Optional. Write this raw alg header value (JWS name or COSE label) instead; signs per `signWith`/the key. */
  rawAlg?: string | number;
  /** Optional. Sign with this algorithm's hash/padding while the header says `algorithm`. Default: same. */
  signWith?: SignatureAlgorithm;
  /** Optional. Default: 'notary.x509'. */
  scheme?: SigningScheme | string;
  /** Optional. signingTime (x509) or authenticSigningTime (signingAuthority). Default: 2026-05-31T00:00:00Z. */
  signingTime?: Date;
  /** Optional. Put both time headers (breaks the scheme rule). Default: false. */
  bothTimes?: boolean;
  /** Optional. Signature expiry header. */
  expiry?: Date;
  /** Optional. Extra protected headers (extended attributes), merged last (may overwrite anything). */
  extraProtected?: Record<string, unknown>;
  /** Optional. Replace the crit list. Default: the required entries (+ names in `extraCritical`). */
  crit?: Array<string | number>;
  /** Optional. Names appended to the default crit list. */
  extraCritical?: string[];
  /** Optional. Protected header names to leave out (e.g. 'cty', 'io.cncf.notary.signingTime'). */
  omitProtected?: string[];
  /** Optional. Content type. Default: the Notary payload type. */
  contentType?: string;
  /** Optional. The payload bytes as given (overrides `descriptor`). */
  payloadBytes?: Uint8Array;
  /** Optional. Builds the RFC 3161 token over the raw signature bytes. */
  timestamp?: (signature: Uint8Array) => Uint8Array;
  /** Optional. Signing agent text. Default: 'trustgate-test-signer/1'. */
  signingAgent?: string;
  /** Optional. Flip a bit of the signature. Default: false. */
  corruptSignature?: boolean;
  /** Optional. RSASSA-PSS salt length. Default: the hash length. */
  pssSaltLength?: number;
  /** Optional. Replace the certificate chain header value as given (e.g. a non-array). */
  rawChain?: unknown;
  /** Optional. Extra unprotected headers. */
  extraUnprotected?: Record<string, unknown>;
}

/** COSE-only knobs. */
export interface CoseSignOptions extends SignOptions {
  /** Optional. Emit an untagged COSE_Sign1. Default: false. */
  untagged?: boolean;
  /** Optional. Encode times as bare numbers instead of tag 1. Default: false. */
  untaggedTimes?: boolean;
  /** Optional. Put x5chain into the protected header. Default: false. */
  x5chainProtected?: boolean;
}
