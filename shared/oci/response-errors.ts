import { readBodyLimited } from '../core/index.js';
import { HEADER_RETRY_AFTER, MAX_ERROR_BODY_BYTES } from './constants.js';
import { RegistryError } from './errors.js';
import type { OciErrorEntry } from './errors.js';
import { redact } from './transport.js';

/** What was asked for, so a 404 can name it. */
export type Subject = 'manifest' | 'blob' | 'referrers' | 'token' | 'registry';

/** OCI error codes by which a registry states that content does not exist (distribution-spec "Error Codes"). */
const ABSENCE_CODES: ReadonlySet<string> = new Set(['MANIFEST_UNKNOWN', 'BLOB_UNKNOWN', 'NAME_UNKNOWN']);

/**
 * Turns a non-success answer into a RegistryError carrying the status and the OCI error body. Only a 404
 * whose body names an absence code is `verification-failed`; everything the registry failed to answer is
 * `inconclusive`.
 */
export async function errorFromResponse(response: Response, subject: Subject, url: URL): Promise<RegistryError> {
  const ociErrors = await readOciErrors(response);
  const status = response.status;
  const codes = ociErrors.map((e) => e.code);
  const where = `${subject} at ${redact(url)}`;
  const options = { status, ociErrors, details: { status, url: redact(url), ...(codes.length ? { ociCodes: codes } : {}) } };
  if (status === 401) return new RegistryError('ERR_REGISTRY_UNAUTHORIZED', 'inconclusive', `registry refused the credentials for ${where}`, options);
  if (status === 403) return new RegistryError('ERR_REGISTRY_DENIED', 'inconclusive', `registry denied access to ${where}`, options);
  if (status === 429) {
    const retryAfter = response.headers.get(HEADER_RETRY_AFTER);
    return new RegistryError('ERR_REGISTRY_RATE_LIMITED', 'inconclusive', `registry rate-limited ${where}`, { ...options, details: { ...options.details, ...(retryAfter ? { retryAfter } : {}) } });
  }
  if (status >= 500) return new RegistryError('ERR_REGISTRY_UNAVAILABLE', 'inconclusive', `registry failed with ${status} for ${where}`, options);
  if (status === 404 && (subject === 'manifest' || subject === 'blob')) {
    const proven = codes.some((code) => ABSENCE_CODES.has(code));
    const code = subject === 'manifest' ? 'ERR_MANIFEST_NOT_FOUND' : 'ERR_BLOB_NOT_FOUND';
    return new RegistryError(code, proven ? 'verification-failed' : 'inconclusive', `${where} not found`, options);
  }
  return new RegistryError('ERR_REGISTRY_HTTP', 'inconclusive', `unexpected HTTP ${status} for ${where}`, options);
}

/** Best-effort parse of `{"errors":[{"code","message"}]}`; anything else yields []. */
async function readOciErrors(response: Response): Promise<OciErrorEntry[]> {
  let text: string;
  try {
    text = (await readBodyLimited(response, MAX_ERROR_BODY_BYTES)).toString('utf8');
  } catch {
    return [];
  }
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    if (!Array.isArray(body.errors)) return [];
    return body.errors
      .filter((e): e is { code: string; message?: unknown } => typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string')
      .slice(0, 20)
      .map((e) => ({ code: e.code.slice(0, 100), message: typeof e.message === 'string' ? e.message.slice(0, 500) : '' }));
  } catch {
    return [];
  }
}
