/**
 * Trusted identity matching (spec "Trusted Identities Constraints"; notary-spec digest §9).
 *
 * The reference prints the leaf subject with Go's `pkix.Name.String()` and parses that text again, so a
 * subject with an attribute Go has no short name for (printed `oid=#hex`), with a repeated attribute type
 * (printed as a multi-valued RDN), with `=#` inside a value, or without C, ST and O can only pass with `*`.
 * trustgate reproduces that from the parsed attribute list. Repeated CN/SERIALNUMBER (where Go keeps only the
 * last value) are refused as well: stricter, and never needed by a well-formed signing certificate.
 */
import { GO_ATTRIBUTE_NAMES } from '../pki/index.js';
import { PREFIX_SEPARATOR, WILDCARD, X509_SUBJECT_PREFIX } from './constants.js';
import { isSubsetDn, missingMandatoryAttributes, parseDistinguishedName } from './dn.js';
import type { DnAttributes } from './dn.js';

/** One attribute of the leaf certificate's subject, in certificate order (from the pki module). */
export interface SubjectAttribute {
  /** Dotted attribute type OID, e.g. `2.5.4.3`. */
  oid: string;
  /** Short name when the pki module knows one; matching relies on the OID. */
  name?: string;
  value: string;
}

export type IdentityEvaluation =
  | { ok: true; matched: 'wildcard' | string }
  | { ok: false; reason: 'identity-invalid' | 'no-x509-identities' | 'leaf-unmatchable' | 'no-match'; message: string };

/** True when the leaf subject satisfies the statement's trusted identities (see evaluateTrustedIdentities). */
export function matchesTrustedIdentity(trustedIdentities: readonly string[], leafSubject: readonly SubjectAttribute[]): boolean {
  return evaluateTrustedIdentities(trustedIdentities, leafSubject).ok;
}

/**
 * Evaluates trusted identities against the leaf subject: `*` matches anything; otherwise at least one
 * `x509.subject` identity must be a subset of the leaf subject. Identities with other prefixes are ignored.
 * An unparsable identity fails the whole evaluation, as in the reference.
 */
export function evaluateTrustedIdentities(
  trustedIdentities: readonly string[],
  leafSubject: readonly SubjectAttribute[],
): IdentityEvaluation {
  if (trustedIdentities.includes(WILDCARD)) return { ok: true, matched: 'wildcard' };
  const identities = preparedIdentities(trustedIdentities);
  if ('ok' in identities) return identities;
  if (identities.length === 0) return fail('no-x509-identities', 'no x509.subject trusted identity is configured');
  const leaf = leafSubjectAttributes(leafSubject);
  if (leaf.kind === 'invalid') return fail('leaf-unmatchable', `the signing certificate subject cannot be matched: ${leaf.reason}`);
  const match = identities.find((identity) => isSubsetDn(identity.attributes, leaf.attributes));
  if (match) return { ok: true, matched: match.raw };
  return fail('no-match', 'the signing certificate subject matches none of the trusted identities');
}

type Prepared = ReadonlyArray<{ raw: string; attributes: DnAttributes }> | IdentityEvaluation;

/** Parsed identities per statement list, made on first use (the statement's policy load), not on every signature. */
const prepared = new WeakMap<readonly string[], { text: string; result: Prepared }>();

function preparedIdentities(trustedIdentities: readonly string[]): Prepared {
  const text = trustedIdentities.join('\n'); // a list changed in place is parsed again
  const known = prepared.get(trustedIdentities);
  if (known && known.text === text) return known.result;
  const result = parseIdentities(trustedIdentities);
  prepared.set(trustedIdentities, { text, result });
  return result;
}

function parseIdentities(trustedIdentities: readonly string[]): Prepared {
  const identities: Array<{ raw: string; attributes: DnAttributes }> = [];
  for (const identity of trustedIdentities) {
    const separator = identity.indexOf(PREFIX_SEPARATOR);
    if (separator < 0) return fail('identity-invalid', `trusted identity "${identity}" has no prefix separator`);
    if (identity.slice(0, separator) !== X509_SUBJECT_PREFIX) continue;
    const parsed = parseX509SubjectIdentity(identity.slice(separator + 1));
    if (parsed.kind === 'invalid') return fail('identity-invalid', `trusted identity "${identity}": ${parsed.reason}`);
    identities.push({ raw: identity, attributes: parsed.attributes });
  }
  return identities;
}

/** Parses the value of an `x509.subject:` identity and requires C, ST (or S) and O. */
export function parseX509SubjectIdentity(value: string): { kind: 'ok'; attributes: DnAttributes } | { kind: 'invalid'; reason: string } {
  if (value === '') return { kind: 'invalid', reason: 'the identity value is empty' };
  const parsed = parseDistinguishedName(value);
  if (parsed.kind === 'invalid') return parsed;
  const missing = missingMandatoryAttributes(parsed.attributes);
  if (missing.length > 0) return { kind: 'invalid', reason: `mandatory attribute(s) ${missing.join(', ')} missing (C, ST or S, and O are required)` };
  return parsed;
}

/** The leaf subject as the reference sees it, or why it cannot be matched. */
export function leafSubjectAttributes(subject: readonly SubjectAttribute[]): { kind: 'ok'; attributes: DnAttributes } | { kind: 'invalid'; reason: string } {
  const attributes = new Map<string, string>();
  for (const attribute of subject) {
    const type = GO_ATTRIBUTE_NAMES[attribute.oid]; // by OID, not the caller's name: Go's short names only
    if (type === undefined) return { kind: 'invalid', reason: `attribute ${attribute.oid} has no matchable short name` };
    if (attributes.has(type)) return { kind: 'invalid', reason: `attribute ${type} is repeated` };
    if (attribute.value.includes('=#')) return { kind: 'invalid', reason: `attribute ${type} contains "=#"` };
    attributes.set(type, attribute.value);
  }
  const missing = missingMandatoryAttributes(attributes).concat([...attributes].filter(([, v]) => v === '').map(([t]) => t));
  if (missing.length > 0) return { kind: 'invalid', reason: `attribute(s) ${[...new Set(missing)].join(', ')} missing or empty` };
  return { kind: 'ok', attributes };
}

function fail(reason: Exclude<IdentityEvaluation, { ok: true }>['reason'], message: string): IdentityEvaluation {
  return { ok: false, reason, message };
}
