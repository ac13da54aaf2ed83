import { AppError } from '../core/index.js';

/**
 * Docker Content Trust failures. Every code is public API. `verification-failed` codes deny; `inconclusive` ones
 * (trust server down, unreadable answers) never deny on their own.
 */
export const DCT_CODES = {
  /** A metadata signature does not verify, or the file is not what its parent's hashes/length say. */
  tampered: 'ERR_DCT_TAMPERED_METADATA',
  /** A role's `expires` is before the verification instant. */
  expired: 'ERR_DCT_EXPIRED',
  /** The server returned a lower version than one already seen for this gun and role. */
  rollback: 'ERR_DCT_ROLLBACK',
  /** A delegated role is signed by keys its parent does not list, or by fewer than its threshold. */
  delegationKey: 'ERR_DCT_DELEGATION_UNTRUSTED',
  /** The signed target's sha256/length differ from the subject manifest. */
  digestMismatch: 'ERR_DCT_DIGEST_MISMATCH',
  /** No role signed the tag (or, for a digest reference, no target carries the digest). */
  unsigned: 'ERR_DCT_UNSIGNED',
  /** A required role did not sign the target. */
  roleMissing: 'ERR_DCT_REQUIRED_ROLE_MISSING',
  /** root.json is not signed by the configured (pinned) root keys. */
  wrongRoot: 'ERR_DCT_ROOT_NOT_PINNED',
  /** Metadata that is not valid Notary TUF (schema, canonical form, size, depth). */
  malformed: 'ERR_DCT_MALFORMED_METADATA',
  /** The trust server could not be reached, timed out, or answered with an unexpected status. */
  unreachable: 'ERR_DCT_UNREACHABLE',
  /** The trust server answered 404 for the repository's trust data: nothing is signed. */
  noTrustData: 'ERR_DCT_NO_TRUST_DATA',
  /** The scheme's configuration is invalid. */
  config: 'ERR_DCT_CONFIG',
} as const;

export const DCT_OK = 'OK_DCT_SIGNED';

export class DctError extends AppError {}

/** A failure that means "the evidence is bad" (deny), as opposed to "could not decide". */
export function failed(code: string, message: string, details?: Record<string, unknown>): DctError {
  return new DctError(code, 'verification-failed', message, details === undefined ? {} : { details });
}

export function inconclusive(message: string, cause?: unknown): DctError {
  return new DctError(DCT_CODES.unreachable, 'inconclusive', message, cause === undefined ? {} : { cause });
}
