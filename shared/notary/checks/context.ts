import type { Certificate } from '../../pki/index.js';
import type { TrustPolicyStatement, VerifyTimestampOption } from '../../policy/index.js';
import type { TrustStore } from '../../truststore/index.js';
import type { ParsedEnvelope } from '../envelope/index.js';
import type { CheckAction, CheckName } from '../outcome.js';

/** Revocation status of a chain, as the pki RevocationChecker reports it (spec §11 / notary-spec digest §11.1). */
export interface ChainRevocationStatus {
  status: 'ok' | 'revoked' | 'unknown';
  /** When the answer may change (earliest OCSP/CRL nextUpdate). */
  nextUpdate?: Date;
  /** Optional. Per certificate: why its status is unknown (which URL, what went wrong). */
  certs?: ReadonlyArray<{ subject: string; status: string; error?: { code: string; message: string } }>;
}

/** The one method of pki's RevocationChecker the verifier needs; tests pass stubs. */
export interface RevocationPort {
  checkChain(
    chain: readonly Certificate[],
    options: { purpose: 'codeSigning' | 'timestamping'; at: Date; authenticSigningTime?: Date; signal?: AbortSignal },
  ): Promise<ChainRevocationStatus>;
}

/** Input of verifySignature: one envelope, the artifact it should sign, and the trust material. */
export interface VerifySignatureInput {
  /** Required. The envelope bytes (the signature manifest's single layer). */
  envelope: Uint8Array;
  /** Required. The layer media type: application/jose+json or application/cose. */
  envelopeMediaType: string;
  /** Required. The artifact being verified (must equal the payload's targetArtifact on these three fields). */
  subject: { mediaType: string; digest: string; size: number };
  /** Required. The trust policy statement that applies to the artifact. */
  statement: TrustPolicyStatement;
  /** Required. Where the statement's named stores come from. */
  trustStore: TrustStore;
  /**
   * Optional. Revocation checking for the signing chain and the TSA chain. Default: none — then a chain
   * with no OCSP/CRL pointers is non-revokable (ok) and any other chain's status is unknown.
   */
  revocation?: RevocationPort;
  /** Required. The verification instant (expiry, validity, freshness). */
  at: Date;
  /** Optional. Aborts revocation look-ups. */
  signal?: AbortSignal;
  /** Optional. Annotations the payload must carry with exactly these values. Default: none. */
  userMetadata?: Readonly<Record<string, string>>;
}

/** What the checks share while one signature is verified. Later checks read what earlier ones found. */
export interface VerificationContext {
  readonly input: VerifySignatureInput;
  readonly actions: Readonly<Record<CheckName, CheckAction>>;
  readonly verifyTimestamp: VerifyTimestampOption;
  envelope?: ParsedEnvelope;
  /** The envelope chain, parsed, leaf first (set by integrity). */
  chain?: Certificate[];
  /** Set when a countersignature was verified. */
  timestamp?: { genTime: Date; accuracyMs: number; tsaChain: readonly Certificate[] };
  /** Instants at which the outcome could change; the verifier reports the earliest. */
  readonly changesAt: Date[];
}

/** Throws when integrity has not populated the context (a verifier bug, never a pass). */
export function verified(context: VerificationContext): { envelope: ParsedEnvelope; chain: Certificate[] } {
  if (!context.envelope || !context.chain) throw new Error('integrity has not run');
  return { envelope: context.envelope, chain: context.chain };
}
