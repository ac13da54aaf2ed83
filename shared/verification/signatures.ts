import { isAppError, type AppError, type Logger } from '../core/index.js';
import type { CheckAction, SignatureOutcome, VerificationLevelName } from '../notary/index.js';
import { ARTIFACT_TYPE_NOTATION_SIGNATURE, type Descriptor, type RepositoryRef } from '../oci/index.js';
import type { TrustPolicyStatement } from '../policy/index.js';
import type { TrustStore } from '../truststore/index.js';
import { MAX_ENVELOPE_BYTES, MAX_SIGNATURE_MANIFEST_BYTES, REASON } from './codes.js';
import type { RegistryReader, SignatureChecker } from './ports.js';
import { readSignatureManifest } from './signature-manifest.js';
import type { Reason } from './verdict.js';

export interface SignatureSearch {
  registry: RegistryReader;
  checker: SignatureChecker;
  trustStore: TrustStore;
  logger: Logger;
  repository: RepositoryRef;
  subject: Descriptor;
  statement: TrustPolicyStatement;
  level: VerificationLevelName;
  maxSignatures: number;
  at: Date;
  signal?: AbortSignal;
}

export interface SignatureSearchResult {
  decision: 'allow' | 'deny' | 'inconclusive';
  outcomes: SignatureOutcome[];
  reasons: Reason[];
}

/**
 * Tries the subject's Notary signatures in listed order until one passes (notary-spec §3: the reference
 * does not pre-filter). A signature that could not be fetched makes the answer inconclusive unless
 * another one passes: it might have been the good one.
 */
export async function searchSignatures(search: SignatureSearch): Promise<SignatureSearchResult> {
  const outcomes: SignatureOutcome[] = [];
  const unreachable: Reason[] = [];
  let tried = 0;
  try {
    for await (const referrer of search.registry.referrers(search.repository, search.subject, {
      artifactType: ARTIFACT_TYPE_NOTATION_SIGNATURE,
      signal: search.signal,
    })) {
      if (tried >= search.maxSignatures) {
        unreachable.push({ code: REASON.signatureLimit, message: `stopped after ${search.maxSignatures} signatures` });
        break;
      }
      tried++;
      try {
        const outcome = await checkOne(search, referrer);
        if (outcome === undefined) {
          tried--;
          continue;
        }
        outcomes.push(outcome);
        if (outcome.ok) return { decision: 'allow', outcomes, reasons: [{ code: REASON.verified, message: `signature ${referrer.digest} verified` }] };
      } catch (error) {
        if (isDefinitive(error)) {
          outcomes.push(integrityFailure(search.level, referrer, error.code, error.message));
          continue;
        }
        search.logger.log('warn', 'signature.fetch_failed', { digest: referrer.digest, error: describe(error) });
        // A trust store that broke after start-up is not the registry's fault: keep its own code (still inconclusive).
        if (isAppError(error) && error.code === 'ERR_TRUST_STORE_UNAVAILABLE') unreachable.push({ code: error.code, message: error.message });
        else unreachable.push({ code: REASON.registryUnavailable, message: `signature ${referrer.digest}: ${describe(error)}` });
      }
    }
  } catch (error) {
    search.logger.log('warn', 'referrers.list_failed', { subject: search.subject.digest, error: describe(error) });
    unreachable.push({ code: REASON.registryUnavailable, message: `listing signatures failed: ${describe(error)}` });
  }
  return conclude(outcomes, unreachable);
}

async function checkOne(search: SignatureSearch, referrer: Descriptor): Promise<SignatureOutcome | undefined> {
  const options = { signal: search.signal, maxBytes: MAX_SIGNATURE_MANIFEST_BYTES };
  const manifest = await search.registry.fetchManifest(search.repository, referrer, options);
  const read = readSignatureManifest(manifest.json);
  switch (read.kind) {
    case 'not-a-signature':
      return undefined;
    case 'malformed':
      return integrityFailure(search.level, referrer, 'ERR_SIGNATURE_MANIFEST_INVALID', read.message);
    case 'signature':
      break;
  }
  if (read.envelope.size > MAX_ENVELOPE_BYTES) {
    return integrityFailure(search.level, referrer, 'ERR_ENVELOPE_TOO_LARGE', `envelope is ${read.envelope.size} bytes, over ${MAX_ENVELOPE_BYTES}`);
  }
  const envelope = await search.registry.fetchBlob(search.repository, read.envelope, { signal: search.signal, maxBytes: MAX_ENVELOPE_BYTES });
  const outcome = await search.checker({
    envelope,
    envelopeMediaType: read.envelope.mediaType,
    subject: { mediaType: search.subject.mediaType, digest: search.subject.digest, size: search.subject.size },
    statement: search.statement,
    trustStore: search.trustStore,
    at: search.at,
    signal: search.signal,
  });
  return { ...outcome, signatureDigest: referrer.digest };
}

function conclude(outcomes: SignatureOutcome[], unreachable: Reason[]): SignatureSearchResult {
  if (unreachable.length > 0) return { decision: 'inconclusive', outcomes, reasons: unreachable };
  if (outcomes.length === 0) return { decision: 'deny', outcomes, reasons: [{ code: REASON.noSignature, message: 'no Notary signature found' }] };
  const reasons = outcomes.map((o) => ({
    code: REASON.signatureFailed,
    message: `signature ${o.signatureDigest ?? '?'}: ${o.error ? `${o.error.code}: ${o.error.message}` : 'failed'}`,
  }));
  return { decision: 'deny', outcomes, reasons };
}

function integrityFailure(level: VerificationLevelName, referrer: Descriptor, code: string, message: string): SignatureOutcome {
  const action: CheckAction = level === 'skip' ? 'skip' : 'enforce';
  return {
    signatureDigest: referrer.digest,
    envelopeMediaType: 'unknown',
    level,
    ok: false,
    checks: [{ check: 'integrity', action, ok: false, error: { code, message } }],
    error: { code, message },
  };
}

/**
 * A signature fails for good only when the registry proved it absent or it is malformed. Bytes that do not
 * match their digest or size say the registry served something else: the real signature was not checked,
 * so that is inconclusive (it might have been the good one), never a pass.
 */
const DEFINITIVE_CODES = new Set(['ERR_MANIFEST_NOT_FOUND', 'ERR_BLOB_NOT_FOUND', 'ERR_INVALID_MANIFEST', 'ERR_INVALID_DESCRIPTOR']);

function isDefinitive(error: unknown): error is AppError {
  return isAppError(error) && (DEFINITIVE_CODES.has(error.code) || error.kind === 'invalid-input');
}

function describe(error: unknown): string {
  if (isAppError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
