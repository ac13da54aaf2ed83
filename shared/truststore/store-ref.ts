import { createHash } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { RESERVED_STORE_NAMES, STORE_NAME_PATTERN, TRUST_STORE_ERROR_CODES as CODES } from './constants.js';
import { TrustStoreError } from './errors.js';
import { TRUST_STORE_TYPES } from './port.js';
import type { TrustStoreType } from './port.js';

/** Refuses unknown types and names outside `[a-zA-Z0-9_.-]+` (and `.`/`..`): a name never leaves its directory. */
export function assertStoreRef(type: string, name: string): asserts type is TrustStoreType {
  if (!(TRUST_STORE_TYPES as readonly string[]).includes(type)) {
    throw new TrustStoreError(CODES.typeInvalid, `unknown trust store type "${type}" (ca, signingAuthority or tsa)`);
  }
  if (!STORE_NAME_PATTERN.test(name) || RESERVED_STORE_NAMES.includes(name)) {
    throw new TrustStoreError(CODES.nameInvalid, `trust store name "${name}" must match [a-zA-Z0-9_.-]+ and not be . or ..`);
  }
}

/** SHA-256 hex (lowercase) of a certificate's DER bytes. */
export function thumbprint(certificate: X509Certificate): string {
  return createHash('sha256').update(certificate.raw).digest('hex');
}

/** One line per store, sorted, hashed: `type name thumbprints...` (or the store's error code when it is invalid). */
export function fingerprintLines(lines: readonly string[]): string {
  return createHash('sha256')
    .update([...lines].sort().join('\n'))
    .digest('hex');
}

export function storeLine(type: TrustStoreType, name: string, content: readonly X509Certificate[] | { error: string }): string {
  const body = Array.isArray(content) ? content.map(thumbprint).sort().join(' ') : `error:${(content as { error: string }).error}`;
  return `${type}\t${name}\t${body}`;
}
