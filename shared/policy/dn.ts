/**
 * RFC 4514 distinguished names as the trust policy's `x509.subject` identities use them
 * (spec "Trusted Identities Constraints"; reference: notation-go internal/pkix over go-ldap ParseDN).
 *
 * Stricter than the reference where the spec says "MUST escape": unescaped `;`, `"`, `<`, `>` are errors
 * (go-ldap 3.4.11 takes `;` as an RDN separator), empty values are errors, and a value that starts with `#`
 * (hex form) is refused even when spaces hide it from the reference's `=#` test.
 */
import { DN_TYPE_ALIASES, MANDATORY_DN_ATTRIBUTES } from './constants.js';

/** Attribute type → value, in the order written; `S` already folded into `ST`. */
export type DnAttributes = ReadonlyMap<string, string>;

export type DnParseResult = { kind: 'ok'; attributes: DnAttributes } | { kind: 'invalid'; reason: string };

const TYPE_PATTERN = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)+)$/;
const ESCAPABLE = new Set([' ', '"', '#', '+', ',', ';', '<', '=', '>', '\\']);
const MUST_BE_ESCAPED = new Set(['"', ';', '<', '>', '\0']);
const HEX_PAIR = /^[0-9a-fA-F]{2}$/;

/** Parses a DN string; never throws. The attribute types are case-sensitive, as in the reference. */
export function parseDistinguishedName(text: string): DnParseResult {
  if (text.includes('=#')) return invalid('hex-encoded attribute values ("=#") are not supported');
  if (text.trim() === '') return invalid('the distinguished name is empty');
  const split = splitRdns(text);
  if (split.kind === 'invalid') return split;
  const attributes = new Map<string, string>();
  for (const rdn of split.rdns) {
    const equals = indexOfUnescaped(rdn, '=');
    if (equals < 0) return invalid(`"${rdn.trim()}" is not a type=value pair`);
    const rawType = rdn.slice(0, equals).trim();
    if (!TYPE_PATTERN.test(rawType)) return invalid(`"${rawType}" is not a valid attribute type`);
    const value = decodeValue(rdn.slice(equals + 1));
    if (value.kind === 'invalid') return invalid(`attribute ${rawType}: ${value.reason}`);
    const type = DN_TYPE_ALIASES[rawType] ?? rawType;
    if (attributes.has(type)) return invalid(`attribute ${type} appears more than once`);
    attributes.set(type, value.value);
  }
  return { kind: 'ok', attributes };
}

/** Mandatory attributes (C, ST, O) that are absent. */
export function missingMandatoryAttributes(attributes: DnAttributes): string[] {
  return MANDATORY_DN_ATTRIBUTES.filter((type) => !attributes.has(type));
}

/** True when every attribute of `subset` is in `superset` with the same value (case-sensitive). */
export function isSubsetDn(subset: DnAttributes, superset: DnAttributes): boolean {
  for (const [type, value] of subset) {
    if (superset.get(type) !== value) return false;
  }
  return true;
}

function invalid(reason: string): { kind: 'invalid'; reason: string } {
  return { kind: 'invalid', reason };
}

/** Splits on unescaped `,`; `+` (multi-valued RDN) and bare `;` are refused. */
function splitRdns(text: string): { kind: 'ok'; rdns: string[] } | { kind: 'invalid'; reason: string } {
  const rdns: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      i++;
      continue;
    }
    if (char === '+') return invalid('multi-valued RDNs ("+") are not supported');
    if (char === ',') {
      rdns.push(text.slice(start, i));
      start = i + 1;
    }
  }
  rdns.push(text.slice(start));
  return { kind: 'ok', rdns };
}

function indexOfUnescaped(text: string, wanted: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === wanted) return i;
  }
  return -1;
}

/** Trims insignificant spaces and resolves `\c` and `\XX` escapes (hex escapes are UTF-8 bytes). */
function decodeValue(raw: string): { kind: 'ok'; value: string } | { kind: 'invalid'; reason: string } {
  const trimmed = trimUnescapedSpaces(raw);
  if (trimmed === '') return invalid('the value is empty');
  if (trimmed.startsWith('#')) return invalid('hex-encoded values ("#...") are not supported');
  const bytes: number[] = [];
  for (let i = 0; i < trimmed.length; i++) {
    const char = trimmed.charAt(i);
    if (char !== '\\') {
      if (MUST_BE_ESCAPED.has(char)) return invalid(`the character ${JSON.stringify(char)} must be escaped`);
      const codePoint = trimmed.codePointAt(i) ?? 0;
      const whole = String.fromCodePoint(codePoint);
      bytes.push(...Buffer.from(whole, 'utf8'));
      i += whole.length - 1;
      continue;
    }
    const next = trimmed.charAt(i + 1);
    if (ESCAPABLE.has(next)) {
      bytes.push(next.charCodeAt(0));
      i++;
      continue;
    }
    const pair = trimmed.slice(i + 1, i + 3);
    if (!HEX_PAIR.test(pair)) return invalid(`"\\${pair}" is not a valid escape`);
    bytes.push(Number.parseInt(pair, 16));
    i += 2;
  }
  try {
    return { kind: 'ok', value: new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes)) };
  } catch {
    return invalid('hex escapes do not form valid UTF-8');
  }
}

/** Removes leading spaces and trailing spaces that are not escaped by an odd run of backslashes. */
function trimUnescapedSpaces(raw: string): string {
  let start = 0;
  while (start < raw.length && raw[start] === ' ') start++;
  let end = raw.length;
  while (end > start && raw[end - 1] === ' ') {
    let backslashes = 0;
    for (let i = end - 2; i >= start && raw[i] === '\\'; i--) backslashes++;
    if (backslashes % 2 === 1) break;
    end--;
  }
  return raw.slice(start, end);
}
