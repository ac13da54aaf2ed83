import { createHash, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { PolicyError, toSignedEntity, VerificationError, type SignedEntity } from '@sigstore/verify';
import type { EvidenceCheck, EvidenceSigner } from '../verdict/index.js';
import { LIMITS } from './constants.js';
import { reason, type CosignErrorCode } from './errors.js';
import type { TrustRoot } from './trust-roots.js';

/** The result of checking one piece of evidence against one trust root. */
export interface RootAttempt {
  root: string;
  ok: boolean;
  checks: EvidenceCheck[];
  signer?: EvidenceSigner;
  signedAt?: string;
}

/**
 * Verifies a Sigstore bundle against one trust root with the kept verifier (@sigstore/verify): signature,
 * key or Fulcio chain at every trusted signing time, Rekor SET / inclusion proof and body, SCTs, RFC 3161
 * timestamps, then (keyless) the identity policy. `artifact` is the signed bytes of a message signature.
 */
export function verifyAgainstRoot(bundle: Bundle, artifact: Buffer | undefined, root: TrustRoot): RootAttempt {
  const checks: EvidenceCheck[] = [];
  let entity: SignedEntity;
  try {
    entity = toEntity(bundle, artifact, root);
  } catch (error) {
    return fail(root.name, checks, 'material', 'ERR_COSIGN_MALFORMED', `verification material unusable: ${messageOf(error)}`);
  }
  // Counted first so a missing log entry is reported as such (the verifier would first miss its timestamp).
  const tlogThreshold = root.kind === 'keyless' || root.checksTlog ? root.tlogThreshold : 0;
  if (entity.tlogEntries.length < tlogThreshold) {
    return fail(root.name, checks, 'tlog', 'ERR_COSIGN_TLOG_MISSING', `${entity.tlogEntries.length} transparency log entries, trust root ${root.name} requires ${tlogThreshold}`);
  }
  let signerKeyIdentity: { san?: string; issuer?: string };
  try {
    const signer = root.verifier.verify(entity);
    signerKeyIdentity = { ...(signer.identity?.subjectAlternativeName ? { san: signer.identity.subjectAlternativeName } : {}), ...(signer.identity?.extensions?.issuer ? { issuer: signer.identity.extensions.issuer } : {}) };
  } catch (error) {
    const [check, code] = classify(error);
    return fail(root.name, checks, check, code, messageOf(error));
  }
  checks.push(pass('signature'));
  checks.push(root.kind === 'keyless' ? pass('certificate') : skip('certificate'));
  // What ran is what the entity carried (entries or timestamps absent and not required are skipped).
  checks.push(entity.tlogEntries.length > 0 ? pass('tlog') : skip('tlog'));
  if (root.kind === 'keyless') checks.push(root.ctlogThreshold > 0 ? pass('ctlog') : skip('ctlog'));
  const signedAt = earliestTimestamp(entity);
  checks.push(signedAt ? pass('timestamp') : skip('timestamp'));
  if (root.kind === 'keyed') {
    checks.push(skip('identity'));
    return { root: root.name, ok: true, checks, signer: { subject: `sha256:${root.keyId}` }, ...(signedAt ? { signedAt } : {}) };
  }
  const san = signerKeyIdentity.san ?? '';
  const issuer = signerKeyIdentity.issuer ?? '';
  const signer = keylessSigner(entity, san, issuer);
  // A certificate without a SAN or an OIDC issuer names nobody: no pattern (not even `.*`) may accept it.
  if (san === '' || issuer === '' || !root.identities.some((identity) => identity.subject(san) && identity.issuer(issuer))) {
    return { ...fail(root.name, checks, 'identity', 'ERR_COSIGN_IDENTITY', `signer ${bounded(san)} (issuer ${bounded(issuer)}) matches no identity of trust root ${root.name}`), signer };
  }
  checks.push(pass('identity'));
  return { root: root.name, ok: true, checks, signer, ...(signedAt ? { signedAt } : {}) };
}

function toEntity(bundle: Bundle, artifact: Buffer | undefined, root: TrustRoot): SignedEntity {
  const entity = toSignedEntity(bundle, artifact);
  if (root.kind === 'keyless') {
    if (entity.key.$case !== 'certificate') throw new Error('keyless trust root but the evidence carries no certificate');
    return entity;
  }
  if (entity.key.$case !== 'public-key') throw new Error('keyed trust root but the evidence carries a certificate');
  const withKey: SignedEntity = { ...entity, key: { $case: 'public-key', hint: root.name } };
  if (bundle.content.$case === 'messageSignature' && artifact) {
    const content = entity.signature; // a class instance: delegate rather than spread
    withKey.signature = {
      signature: content.signature,
      compareSignature: (signature) => content.compareSignature(signature),
      compareDigest: (digest) => content.compareDigest(digest),
      verifySignature: messageVerifier(artifact, content.signature, root.hashAlgorithm),
    };
  }
  if (root.checksTlog) return withKey;
  // No trusted root: this key's evidence cannot have its log entries or timestamps checked, so they are ignored.
  return { ...withKey, tlogEntries: [], timestamps: [] };
}

/** Keyed message signatures: Ed25519 signs the message itself; the others hash it with the configured digest. */
function messageVerifier(artifact: Buffer, signature: Buffer, hash: string): (key: KeyObject) => boolean {
  return (key) => {
    try {
      return nodeVerify(key.asymmetricKeyType === 'ed25519' ? null : hash, artifact, key, signature);
    } catch {
      return false;
    }
  };
}

/** Maps the kept verifier's error codes onto this scheme's checks and stable codes. */
function classify(error: unknown): [string, CosignErrorCode] {
  if (error instanceof PolicyError) return ['identity', 'ERR_COSIGN_IDENTITY'];
  if (!(error instanceof VerificationError)) return ['material', 'ERR_COSIGN_MALFORMED'];
  switch (error.code) {
    case 'SIGNATURE_ERROR':
      return ['signature', 'ERR_COSIGN_SIGNATURE'];
    case 'PUBLIC_KEY_ERROR':
      return ['signature', 'ERR_COSIGN_KEY'];
    case 'CERTIFICATE_ERROR':
      if (/SCT/.test(error.message)) return ['ctlog', 'ERR_COSIGN_SCT'];
      return /expired|not valid/.test(messageOf(error.cause)) ? ['certificate', 'ERR_COSIGN_CERT_VALIDITY'] : ['certificate', 'ERR_COSIGN_CERT_CHAIN'];
    case 'TLOG_ERROR':
    case 'TLOG_MISSING_INCLUSION_ERROR':
      return ['tlog', 'ERR_COSIGN_TLOG_MISSING'];
    case 'TLOG_INCLUSION_PROOF_ERROR':
    case 'TLOG_INCLUSION_PROMISE_ERROR':
    case 'TLOG_BODY_ERROR':
      return ['tlog', 'ERR_COSIGN_TLOG_INVALID'];
    case 'TIMESTAMP_ERROR':
      return ['timestamp', 'ERR_COSIGN_TIMESTAMP'];
    default:
      return ['material', 'ERR_COSIGN_MALFORMED'];
  }
}

function keylessSigner(entity: SignedEntity, san: string, issuer: string): EvidenceSigner {
  if (entity.key.$case !== 'certificate') return { subject: bounded(san) };
  const leaf = entity.key.certificate;
  return {
    subject: bounded(san),
    ...(issuer ? { issuer: bounded(issuer) } : {}),
    thumbprints: [createHash('sha256').update(leaf.root.toDER()).digest('hex')],
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
  };
}

/** The earliest trusted signing time the verifier accepted (Rekor integrated time with a SET, or RFC 3161). */
function earliestTimestamp(entity: SignedEntity): string | undefined {
  const times = entity.timestamps.map((t) => (t.$case === 'timestamp-authority' ? t.timestamp.signingTime : t.tlogEntry.inclusionPromise ? new Date(Number(t.tlogEntry.integratedTime) * 1000) : undefined));
  const valid = times.filter((t): t is Date => t !== undefined && !Number.isNaN(t.getTime()));
  if (valid.length === 0) return undefined;
  return new Date(Math.min(...valid.map((t) => t.getTime()))).toISOString();
}

function fail(root: string, checks: EvidenceCheck[], name: string, code: CosignErrorCode, message: string): RootAttempt {
  return { root, ok: false, checks: [...checks, { name, action: 'enforce', ok: false, error: reason(code, message) }] };
}

function pass(name: string): EvidenceCheck {
  return { name, action: 'enforce', ok: true };
}

function skip(name: string): EvidenceCheck {
  return { name, action: 'skip', ok: true };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function bounded(text: string): string {
  return text.length > LIMITS.displayChars ? `${text.slice(0, LIMITS.displayChars - 3)}...` : text;
}
