import { createHash } from 'node:crypto';
import { AppError, isAppError, readAhead, settle, type Settled } from '../core/index.js';
import { fingerprintPolicy, resolveLevel, selectPolicy, type TrustPolicyDocument, type TrustPolicyStatement } from '../policy/index.js';
import type { EvidenceScheme, FetchedEvidenceManifest, SchemeFactory, SchemePlan, SchemeRequest, SchemeResult } from '../scheme/index.js';
import type { TrustStore } from '../truststore/index.js';
import type { EvidenceOutcome, Reason } from '../verdict/index.js';
import { ARTIFACT_TYPE_NOTATION_SIGNATURE } from './constants.js';
import { NOTARY_SCHEME, toEvidenceOutcome } from './evidence.js';
import type { SignatureOutcome, VerificationLevelName } from './outcome.js';
import { readSignatureManifest, signatureSubjectDigest } from './signature-manifest.js';
import type { RevocationPort } from './checks/context.js';
import { verifySignature } from './verifier.js';
import { MAX_ENVELOPE_BYTES } from './envelope/index.js';

/** Cap on a signature envelope, checked against its descriptor before fetching (stricter than notation-go's 32 MiB). */
export { MAX_ENVELOPE_BYTES };

/** Signature envelopes fetched ahead of the one being verified (the registry bounds its reads in flight as well). */
const ENVELOPES_AHEAD = 4;

/** A listed signature with its envelope fetch under way (or why there is nothing to fetch). */
type Listed =
  | { digest: string; kind: 'skip' }
  | { digest: string; kind: 'failed'; code: string; message: string }
  | { digest: string; kind: 'envelope'; mediaType: string; envelope: Promise<Settled<Uint8Array>> };

/** Input of one signature verification by the Notary engine. */
export interface NotaryCheckInput {
  envelope: Uint8Array;
  envelopeMediaType: string;
  subject: { mediaType: string; digest: string; size: number };
  statement: TrustPolicyStatement;
  trustStore: TrustStore;
  at: Date;
  signal?: AbortSignal;
}

/** The Notary engine as the scheme sees it (verifySignature with its revocation port; tests pass a stand-in). */
export type NotaryChecker = (input: NotaryCheckInput) => Promise<SignatureOutcome>;

export interface NotarySchemeOptions {
  /** Required. The Notation trust policy (TRUSTGATE_TRUST_POLICY). */
  policy: TrustPolicyDocument;
  /** Required. Its trust stores. */
  trustStore: TrustStore;
  /** Required. The engine. */
  checker: NotaryChecker;
}

/**
 * Notary Project signatures behind the scheme port. The trust root is the Notation trust policy statement that
 * applies to the repository; level `skip` is answered before any network call. Signatures are tried in listed order
 * until one passes (notary-spec §3: the reference does not pre-filter); one that could not be read makes the scheme's
 * answer unreachable unless another passes (it might have been the good one). Envelopes are fetched up to
 * ENVELOPES_AHEAD signatures ahead of the one being verified, so the order and the answer are those of a one-by-one
 * loop; only the waiting overlaps.
 */
export function createNotaryScheme(options: NotarySchemeOptions): EvidenceScheme {
  const policyFingerprint = fingerprintPolicy(options.policy);
  // Hashed only when the stores' fingerprint changed: every verification asks, the stores rarely change.
  let last: { stores: string; value: string } | undefined;
  const combine = (stores: string): string => {
    if (last?.stores !== stores) last = { stores, value: createHash('sha256').update(`${policyFingerprint}\n${stores}`).digest('hex').slice(0, 32) };
    return last.value;
  };
  return {
    name: NOTARY_SCHEME,
    trustRootNames: () => options.policy.trustPolicies.map((s) => s.name),
    plan: (repository) => planFor(options.policy, `${repository.registry}/${repository.repository}`),
    verify: (request) => verifyNotary(options, request),
    evidenceSubject: (pushed) => signatureSubjectDigest(pushed.json),
    fingerprint: async () => combine(await options.trustStore.fingerprint()),
    currentFingerprint: () => {
      const stores = options.trustStore.currentFingerprint?.();
      return stores === undefined ? undefined : combine(stores);
    },
  };
}

/** The composition root's line for Notary: its trust material comes from TRUSTGATE_TRUST_POLICY and the trust stores. */
export function notarySchemeFactory(material: { policy: TrustPolicyDocument; trustStore: TrustStore; revocation?: RevocationPort; checker?: NotaryChecker }): SchemeFactory {
  const checker: NotaryChecker = material.checker ?? ((input) => verifySignature({ ...input, ...(material.revocation ? { revocation: material.revocation } : {}) }));
  return {
    name: NOTARY_SCHEME,
    create: async (config) => {
      if (config !== undefined && (typeof config !== 'object' || config === null || Object.keys(config).length > 0)) {
        throw new AppError('ERR_SCHEME_CONFIG', 'config', 'schemes.notary takes no settings: Notary is configured by the Notation trust policy (TRUSTGATE_TRUST_POLICY)');
      }
      return createNotaryScheme({ policy: material.policy, trustStore: material.trustStore, checker });
    },
  };
}

function planFor(policy: TrustPolicyDocument, scope: string): SchemePlan {
  const statement = selectPolicy(policy, scope);
  if (!statement) return { kind: 'none' };
  const level = resolveLevel(statement.signatureVerification).level;
  return { kind: level === 'skip' ? 'skip' : 'verify', policy: { name: statement.name, level } };
}

async function verifyNotary(options: NotarySchemeOptions, request: SchemeRequest): Promise<SchemeResult> {
  const outcomes: EvidenceOutcome[] = [];
  const unreachable: Reason[] = [];
  const statement = selectPolicy(options.policy, `${request.repository.registry}/${request.repository.repository}`);
  if (!statement || (request.trustRoots.length > 0 && !request.trustRoots.includes(statement.name))) return { outcomes, unreachable };
  const level = resolveLevel(statement.signatureVerification).level;
  const signatures = readAhead(request.registry.referrers([ARTIFACT_TYPE_NOTATION_SIGNATURE]), ENVELOPES_AHEAD, (manifest) => startEnvelope(request, manifest));
  for await (const listed of signatures) {
    const digest = listed.digest;
    if (listed.kind === 'skip') continue;
    if (listed.kind === 'failed') {
      outcomes.push(integrityFailure(level, digest, listed.code, listed.message));
      continue;
    }
    const fetched = await listed.envelope;
    if (!fetched.ok) {
      const error = fetched.error;
      // The orchestrator's errors: kind verification-failed = proven absent or malformed; anything else = unreachable.
      if (isAppError(error) && error.kind === 'verification-failed') outcomes.push(integrityFailure(level, digest, error.code, error.message));
      else unreachable.push(isAppError(error) ? { code: error.code, message: `signature ${digest}: ${error.message}` } : { code: 'ERR_REGISTRY_UNAVAILABLE', message: `signature ${digest}: ${String(error)}` });
      continue;
    }
    let outcome: SignatureOutcome;
    try {
      outcome = await options.checker({
        envelope: fetched.value,
        envelopeMediaType: listed.mediaType,
        subject: { mediaType: request.subject.mediaType, digest: request.subject.digest, size: request.subject.size },
        statement,
        trustStore: options.trustStore,
        at: request.at,
        signal: request.signal,
      });
    } catch (error) {
      // The engine reports failed checks as values; a throw is a malformed input (fails) or trust material it could not read.
      if (isAppError(error) && (error.kind === 'invalid-input' || error.kind === 'verification-failed')) outcomes.push(integrityFailure(level, digest, error.code, error.message));
      else unreachable.push({ code: isAppError(error) ? error.code : 'ERR_INTERNAL', message: `signature ${digest}: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    outcomes.push(toEvidenceOutcome({ ...outcome, signatureDigest: digest }, statement.name));
    if (outcome.ok) break;
  }
  return { outcomes, unreachable };
}

/** Reads a signature manifest and starts fetching its envelope (size-checked against the descriptor first). */
function startEnvelope(request: SchemeRequest, manifest: FetchedEvidenceManifest): Listed {
  const digest = manifest.descriptor.digest;
  const read = readSignatureManifest(manifest.json);
  if (read.kind === 'not-a-signature') return { digest, kind: 'skip' };
  if (read.kind === 'malformed') return { digest, kind: 'failed', code: 'ERR_SIGNATURE_MANIFEST_INVALID', message: read.message };
  if (read.envelope.size > MAX_ENVELOPE_BYTES) {
    return { digest, kind: 'failed', code: 'ERR_ENVELOPE_TOO_LARGE', message: `envelope is ${read.envelope.size} bytes, over ${MAX_ENVELOPE_BYTES}` };
  }
  return { digest, kind: 'envelope', mediaType: read.envelope.mediaType, envelope: settle(() => request.registry.blob(read.envelope, MAX_ENVELOPE_BYTES)) };
}

function integrityFailure(level: VerificationLevelName, digest: string, code: string, message: string): EvidenceOutcome {
  return toEvidenceOutcome(
    { signatureDigest: digest, envelopeMediaType: 'unknown', level, ok: false, checks: [{ check: 'integrity', action: 'enforce', ok: false, error: { code, message } }], error: { code, message } },
    '',
  );
}
