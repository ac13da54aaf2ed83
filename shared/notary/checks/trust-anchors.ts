import type { X509Certificate } from 'node:crypto';
import { trustStoreRefs } from '../../policy/index.js';
import type { TrustPolicyStatement } from '../../policy/index.js';
import type { TrustStore, TrustStoreType } from '../../truststore/index.js';
import { notaryFailure } from '../errors.js';
import type { NotaryErrorCodeValue } from '../errors.js';

/**
 * Loads every certificate of the statement's named stores of one type (trust-store-trust-policy.md
 * "Trust Store"). A store that cannot be read fails the check that needs it, with `code`.
 * Returns an empty list when the statement names no store of that type.
 */
export async function loadAnchors(
  statement: TrustPolicyStatement,
  trustStore: TrustStore,
  type: TrustStoreType,
  code: NotaryErrorCodeValue,
): Promise<X509Certificate[]> {
  const refs = trustStoreRefs(statement).filter((ref) => ref.type === type);
  const anchors: X509Certificate[] = [];
  for (const ref of refs) {
    try {
      anchors.push(...(await trustStore.getCertificates(ref.type, ref.name)));
    } catch (error) {
      throw notaryFailure(code, `trust store ${ref.type}:${ref.name} could not be loaded`, error);
    }
  }
  return anchors;
}

/** The statement names at least one store of this type. */
export function hasStoreOfType(statement: TrustPolicyStatement, type: TrustStoreType): boolean {
  return trustStoreRefs(statement).some((ref) => ref.type === type);
}
