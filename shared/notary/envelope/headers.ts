import {
  HEADER_AUTHENTIC_SIGNING_TIME,
  HEADER_EXPIRY,
  HEADER_SIGNING_SCHEME,
  HEADER_SIGNING_TIME,
  HEADER_VERIFICATION_PLUGIN,
  HEADER_VERIFICATION_PLUGIN_MIN_VERSION,
  NOTARY_CRITICAL_HEADERS,
  PAYLOAD_CONTENT_TYPE,
  SIGNING_SCHEME_SIGNING_AUTHORITY,
  SIGNING_SCHEME_X509,
} from '../constants.js';
import type { SigningScheme } from '../constants.js';
import { NotaryErrorCode, notaryFailure } from '../errors.js';
import type { ProtectedHeaderView, SignedAttributes } from './types.js';

/**
 * The signed-attribute rules shared by JWS and COSE (signature-specification.md "Signed Attributes",
 * signature-envelope-jws.md / -cose.md "Protected Headers"). Stricter than the reference in one place:
 * a critical header this verifier does not understand fails (the spec's MUST; notation-go only checks presence).
 */
export function validateSignedAttributes(view: ProtectedHeaderView): SignedAttributes {
  // 1. A verification plugin is required to evaluate this signature: trustgate has none.
  if (view.names.has(HEADER_VERIFICATION_PLUGIN) || view.names.has(HEADER_VERIFICATION_PLUGIN_MIN_VERSION)) {
    throw notaryFailure(NotaryErrorCode.plugin, 'the signature requires a verification plugin, which trustgate does not run');
  }
  // 2. Content type and signing scheme.
  if (view.contentType !== PAYLOAD_CONTENT_TYPE) {
    throw notaryFailure(NotaryErrorCode.header, `content type must be ${PAYLOAD_CONTENT_TYPE}`);
  }
  const scheme = view.signingScheme;
  if (scheme !== SIGNING_SCHEME_X509 && scheme !== SIGNING_SCHEME_SIGNING_AUTHORITY) {
    throw notaryFailure(NotaryErrorCode.header, `signing scheme ${JSON.stringify(scheme)} is not supported`);
  }
  // 3. The crit list: well-formed, every entry present and understood.
  checkCriticalList(view);
  // 4. Headers that must be critical.
  const mustBeCritical = [HEADER_SIGNING_SCHEME];
  if (scheme === SIGNING_SCHEME_SIGNING_AUTHORITY) mustBeCritical.push(HEADER_AUTHENTIC_SIGNING_TIME);
  if (view.names.has(HEADER_EXPIRY)) mustBeCritical.push(HEADER_EXPIRY);
  const notCritical = mustBeCritical.filter((name) => !view.critical.includes(name));
  if (notCritical.length > 0) {
    throw notaryFailure(NotaryErrorCode.header, `these required headers are not marked as critical: ${notCritical.join(', ')}`);
  }
  // 5. The time attribute that belongs to the scheme, and only that one.
  const signingTime = schemeSigningTime(scheme, view);
  // 6. Expiry, when present, strictly after the signing time.
  if (view.expiry && view.expiry.getTime() <= signingTime.getTime()) {
    throw notaryFailure(NotaryErrorCode.header, 'expiry must be after the signing time');
  }
  const attributes: SignedAttributes = {
    signingScheme: scheme,
    signingTime,
    authenticSigningTime: scheme === SIGNING_SCHEME_SIGNING_AUTHORITY,
    contentType: view.contentType,
    algorithm: view.algorithm.name,
    critical: [...view.critical],
    extendedAttributes: { ...view.extended },
  };
  if (view.expiry) attributes.expiry = view.expiry;
  return attributes;
}

function checkCriticalList(view: ProtectedHeaderView): void {
  if (view.critical.length === 0) throw notaryFailure(NotaryErrorCode.header, 'crit must be a non-empty list');
  if (new Set(view.critical).size !== view.critical.length) throw notaryFailure(NotaryErrorCode.header, 'crit lists a header twice');
  for (const name of view.critical) {
    if (view.registered.has(name) || name === HEADER_SIGNING_TIME) {
      throw notaryFailure(NotaryErrorCode.header, `${name} may not be marked critical`);
    }
    if (!view.names.has(name)) throw notaryFailure(NotaryErrorCode.header, `${name} is marked critical but not present`);
    if (!NOTARY_CRITICAL_HEADERS.includes(name)) {
      throw notaryFailure(NotaryErrorCode.unknownCritical, `critical header ${name} is not understood by this verifier`);
    }
  }
}

function schemeSigningTime(scheme: SigningScheme, view: ProtectedHeaderView): Date {
  if (scheme === SIGNING_SCHEME_X509) {
    if (view.names.has(HEADER_AUTHENTIC_SIGNING_TIME)) {
      throw notaryFailure(NotaryErrorCode.header, `${HEADER_AUTHENTIC_SIGNING_TIME} is not allowed under ${SIGNING_SCHEME_X509}`);
    }
    if (!view.signingTime) throw notaryFailure(NotaryErrorCode.header, `${HEADER_SIGNING_TIME} is required under ${SIGNING_SCHEME_X509}`);
    return view.signingTime;
  }
  if (view.names.has(HEADER_SIGNING_TIME)) {
    throw notaryFailure(NotaryErrorCode.header, `${HEADER_SIGNING_TIME} is not allowed under ${SIGNING_SCHEME_SIGNING_AUTHORITY}`);
  }
  if (!view.authenticSigningTime) {
    throw notaryFailure(NotaryErrorCode.header, `${HEADER_AUTHENTIC_SIGNING_TIME} is required under ${SIGNING_SCHEME_SIGNING_AUTHORITY}`);
  }
  return view.authenticSigningTime;
}

/** Fills the Notary time headers into the view; `readTime` decodes one the envelope's way (RFC 3339 or CBOR tag 1). */
export function addTimeHeaders(view: ProtectedHeaderView, readTime: (name: string) => Date | undefined): void {
  const signingTime = readTime(HEADER_SIGNING_TIME);
  const authenticSigningTime = readTime(HEADER_AUTHENTIC_SIGNING_TIME);
  const expiry = readTime(HEADER_EXPIRY);
  if (signingTime) view.signingTime = signingTime;
  if (authenticSigningTime) view.authenticSigningTime = authenticSigningTime;
  if (expiry) view.expiry = expiry;
}

/** The plugin headers, when present, must be text (they are refused later either way, with a clearer code). */
export function assertPluginHeadersAreText(read: (name: string) => { present: boolean; value: unknown }, textType: string): void {
  for (const name of [HEADER_VERIFICATION_PLUGIN, HEADER_VERIFICATION_PLUGIN_MIN_VERSION]) {
    const { present, value } = read(name);
    if (present && typeof value !== 'string') throw notaryFailure(NotaryErrorCode.header, `${name} is not a ${textType}`);
  }
}

