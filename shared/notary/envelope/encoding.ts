import { NotaryErrorCode, notaryFailure } from '../errors.js';

/**
 * Strict decoders for the two base64 flavours of a JWS envelope. Node's Buffer.from(…, 'base64url')
 * skips junk and padding silently, so each decoder checks the alphabet and round-trips the result:
 * only the canonical encoding of some byte string is accepted.
 */

const BASE64URL_UNPADDED = /^[A-Za-z0-9_-]*$/;
const BASE64_PADDED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Unpadded base64url (RFC 7515 §2, "Base64url Encoding"). */
export function decodeBase64UrlStrict(text: string, what: string): Buffer {
  if (!BASE64URL_UNPADDED.test(text) || text.length % 4 === 1) {
    throw notaryFailure(NotaryErrorCode.malformed, `${what} is not unpadded base64url`);
  }
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw notaryFailure(NotaryErrorCode.malformed, `${what} is not canonical base64url`);
  }
  return bytes;
}

/** Standard base64 with padding (RFC 4648 §4), as Go encodes []byte in JSON (x5c, timestampSignature). */
export function decodeBase64Strict(text: string, what: string): Buffer {
  if (!BASE64_PADDED.test(text)) {
    throw notaryFailure(NotaryErrorCode.malformed, `${what} is not padded standard base64`);
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) {
    throw notaryFailure(NotaryErrorCode.malformed, `${what} is not canonical base64`);
  }
  return bytes;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 date-time (RFC 3339 §5.6) the way Go's time.Parse(time.RFC3339) accepts it:
 * offsets allowed, fractional seconds allowed, every field range-checked (no Date.parse leniency).
 */
export function parseRfc3339(text: string, what: string): Date {
  const match = RFC3339.exec(text);
  if (!match) throw notaryFailure(NotaryErrorCode.header, `${what} is not an RFC 3339 date-time`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = match[7] ? Number(`0${match[7]}`) : 0;
  const offsetMinutes = match[8] ? (match[8] === '-' ? -1 : 1) * (Number(match[9]) * 60 + Number(match[10])) : 0;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const probe = new Date(utc);
  const fieldsValid =
    probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day &&
    hour < 24 && minute < 60 && second < 60 && Number(match[9] ?? 0) < 24 && Number(match[10] ?? 0) < 60;
  if (!fieldsValid) throw notaryFailure(NotaryErrorCode.header, `${what} has an out-of-range field`);
  return new Date(utc - offsetMinutes * 60_000 + Math.floor(fraction * 1000));
}
