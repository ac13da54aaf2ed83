import type { TrustStoreType } from '../truststore/index.js';
import { POLICY_TRUST_STORE_TYPES, PREFIX_SEPARATOR, RESERVED_STORE_NAMES, STORE_NAME_PATTERN } from './constants.js';
import { invalidPolicyError } from './errors.js';
import { isOneOf } from './levels.js';
import type { PolicyProblemCode, TrustStoreRef } from './types.js';

/** True for a usable named-store name: `[a-zA-Z0-9_.-]+`, and not `.` or `..`. */
export function isValidStoreName(name: string): boolean {
  return STORE_NAME_PATTERN.test(name) && !RESERVED_STORE_NAMES.includes(name);
}

/** Parses one `trustStores` entry (`type:name`), or says which rule it breaks. */
export function parseTrustStoreRef(
  entry: string,
): { kind: 'ok'; ref: TrustStoreRef } | { kind: 'invalid'; code: PolicyProblemCode; message: string } {
  const separator = entry.indexOf(PREFIX_SEPARATOR);
  if (separator < 0) {
    return { kind: 'invalid', code: 'TRUST_STORE_MALFORMED', message: `trust store "${entry}" is not in the form <type>:<name>` };
  }
  const type = entry.slice(0, separator);
  const name = entry.slice(separator + 1);
  if (!isOneOf<TrustStoreType>(POLICY_TRUST_STORE_TYPES, type)) {
    return { kind: 'invalid', code: 'TRUST_STORE_TYPE_UNKNOWN', message: `trust store type "${type}" is not ca, signingAuthority or tsa` };
  }
  if (!isValidStoreName(name)) {
    return { kind: 'invalid', code: 'TRUST_STORE_NAME_INVALID', message: `trust store name "${name}" must match [a-zA-Z0-9_.-]+ (and not be . or ..)` };
  }
  return { kind: 'ok', ref: { type, name } };
}

/**
 * The named stores a statement uses, de-duplicated, in the order written (duplicates are tolerated by the spec).
 * Throws PolicyError (ERR_TRUST_POLICY_INVALID) for an entry that does not parse.
 */
export function trustStoreRefs(statement: { trustStores: readonly string[] }): TrustStoreRef[] {
  const seen = new Set<string>();
  const refs: TrustStoreRef[] = [];
  for (const [index, entry] of statement.trustStores.entries()) {
    const parsed = parseTrustStoreRef(entry);
    if (parsed.kind === 'invalid') {
      throw invalidPolicyError([{ code: parsed.code, message: parsed.message, path: `trustStores[${index}]` }], 'trust policy statement');
    }
    const key = `${parsed.ref.type}:${parsed.ref.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push(parsed.ref);
  }
  return refs;
}
