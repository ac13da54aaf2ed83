import { DEFAULT_MAX_BLOB_BYTES, HEADER_DOCKER_CONTENT_DIGEST, MANIFEST_ACCEPT, MAX_MANIFEST_BYTES } from './constants.js';
import { computeDigest, digestMatches, isDigest, parseDigest } from './digest.js';
import { RegistryError } from './errors.js';
import { baseMediaType, isManifestMediaType, parseManifestBytes, parseShallowJson } from './manifest.js';
import { MAX_JSON_DEPTH, discardBody } from '../core/index.js';
import type { ParsedManifest } from './manifest.js';
import { parseReference } from './reference.js';
import type { Reference } from './reference.js';
import { listReferrers } from './referrers.js';
import { errorFromResponse } from './response-errors.js';
import { RegistrySession, toRepositoryRef } from './session.js';
import type { FetchOptions, ReferrersOptions, RequestOptions } from './session.js';
import type { Descriptor, RepositoryRef } from './types.js';

/**
 * A manifest fetched by digest and verified against it: `json` is the parsed document (shape-checked per
 * `kind`), `bytes` the exact bytes that hash to the digest.
 */
export type FetchedManifest = { descriptor: Descriptor; bytes: Buffer } & ParsedManifest;

const DEFAULT_MAX_REFERRER_PAGES = 10;

/**
 * Reads OCI registries (distribution-spec 1.1) for verification: resolve tags, fetch manifests and blobs
 * verified against their digests and sizes, list referrers with the tag-schema fallback. Every read is bounded.
 */
export class RegistryClient extends RegistrySession {
  /**
   * Resolves a reference to its manifest descriptor: HEAD with every manifest type in Accept, then GET when
   * the HEAD answer lacks a digest, type or length. A digest in the reference wins over its tag and must match.
   */
  async resolve(ref: Reference | string, options: RequestOptions = {}): Promise<Descriptor> {
    const reference = typeof ref === 'string' ? parseReference(ref) : ref;
    const path = `manifests/${reference.identifier}`;
    const head = await this.request({ repo: reference, path, method: 'HEAD', accept: MANIFEST_ACCEPT, subject: 'manifest', ...signalOf(options) });
    if (head.response.status === 200) {
      await discardBody(head.response);
      const fromHead = descriptorFromHeaders(head.response, reference.digest);
      if (fromHead) return fromHead;
    } else if (!isClientError(head.response.status)) {
      throw await errorFromResponse(head.response, 'manifest', head.url);
    } else {
      await discardBody(head.response);
    }
    // HEAD gave too little (or a HEAD-specific 4xx without a body): GET tells the whole story.
    const { response, url } = await this.request({ repo: reference, path, method: 'GET', accept: MANIFEST_ACCEPT, subject: 'manifest', contentAddressed: reference.digest !== undefined, ...signalOf(options) });
    await this.expectOk(response, 'manifest', url);
    const bytes = await this.read(response, MAX_MANIFEST_BYTES, url, options.signal);
    const mediaType = servedMediaType(response, bytes);
    const digest = reference.digest ?? computeDigest(bytes);
    if (!digestMatches(bytes, digest)) throw mismatch('ERR_DIGEST_MISMATCH', `manifest ${reference.toString()} does not match its digest`);
    const served = response.headers.get(HEADER_DOCKER_CONTENT_DIGEST);
    if (served !== null && isDigest(served) && served.split(':')[0] === digest.split(':')[0] && served !== digest) {
      throw mismatch('ERR_DIGEST_MISMATCH', `registry says ${served} but the manifest hashes to ${digest}`);
    }
    const parsed = parseManifestBytes(bytes, mediaType);
    if ('tooDeep' in parsed) throw tooDeep(digest);
    if (!isManifestMediaType(mediaType) || 'error' in parsed) {
      throw new RegistryError('ERR_INVALID_MANIFEST', 'verification-failed', `manifest ${reference.toString()} is not a usable manifest (${mediaType || 'no media type'})`);
    }
    return { mediaType, digest, size: bytes.length };
  }

  /**
   * Fetches a manifest by digest (≤ 4 MiB by default) and checks size, digest and media type before parsing.
   * A descriptor bigger than the limit is refused without a request.
   */
  async fetchManifest(repo: Reference | RepositoryRef | string, target: Descriptor | string, options: FetchOptions = {}): Promise<FetchedManifest> {
    const repository = toRepositoryRef(repo);
    const expected: Partial<Descriptor> & { digest: string } = typeof target === 'string' ? { digest: target } : target;
    parseDigest(expected.digest);
    const maxBytes = options.maxBytes ?? MAX_MANIFEST_BYTES;
    refuseOversized(expected.size, maxBytes, expected.digest);
    const { response, url } = await this.request({ repo: repository, path: `manifests/${expected.digest}`, method: 'GET', accept: MANIFEST_ACCEPT, subject: 'manifest', contentAddressed: true, ...signalOf(options) });
    await this.expectOk(response, 'manifest', url);
    const bytes = await this.readVerified(response, expected, maxBytes, url, options.signal);
    const mediaType = expected.mediaType ?? servedMediaType(response, bytes);
    if (!isManifestMediaType(mediaType)) throw new RegistryError('ERR_INVALID_MANIFEST', 'verification-failed', `unsupported manifest media type ${JSON.stringify(mediaType)} for ${expected.digest}`);
    const parsed = parseManifestBytes(bytes, mediaType);
    if ('tooDeep' in parsed) throw tooDeep(expected.digest);
    if ('error' in parsed) throw new RegistryError('ERR_INVALID_MANIFEST', 'verification-failed', `manifest ${expected.digest} is malformed: ${parsed.error}`);
    return { descriptor: { mediaType, digest: expected.digest, size: bytes.length }, bytes, ...parsed };
  }

  /** Fetches a blob (≤ 32 MiB by default), verified against the descriptor's size and digest; redirects to storage are followed without credentials. */
  async fetchBlob(repo: Reference | RepositoryRef | string, descriptor: Descriptor, options: FetchOptions = {}): Promise<Buffer> {
    const repository = toRepositoryRef(repo);
    parseDigest(descriptor.digest);
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BLOB_BYTES;
    refuseOversized(descriptor.size, maxBytes, descriptor.digest);
    const { response, url } = await this.request({ repo: repository, path: `blobs/${descriptor.digest}`, method: 'GET', subject: 'blob', contentAddressed: true, ...signalOf(options) });
    await this.expectOk(response, 'blob', url);
    return this.readVerified(response, descriptor, maxBytes, url, options.signal);
  }

  /**
   * The manifests that refer to `subject` (OCI 1.1 referrers API, or the tag schema where the registry has none;
   * which one works is remembered per registry and repository for a while). Stop iterating to stop fetching pages.
   */
  referrers(repo: Reference | RepositoryRef | string, subject: Descriptor, options: ReferrersOptions = {}): AsyncIterable<Descriptor> {
    const repository = toRepositoryRef(repo);
    parseDigest(subject.digest);
    const { signal } = options;
    return listReferrers(
      {
        get: (path, accept, sig) => this.request({ repo: repository, path, method: 'GET', accept, subject: 'referrers', ...(sig ? { signal: sig } : {}) }),
        read: (response, maxBytes, url, sig) => this.read(response, maxBytes, url, sig),
        logger: this.logger,
      },
      {
        repository: repository.repository,
        subject,
        artifactType: options.artifactType,
        maxPages: options.maxPages ?? DEFAULT_MAX_REFERRER_PAGES,
        signal,
        mode: this.referrersMode(repository),
        remember: (mode) => this.rememberReferrersMode(repository, mode),
      },
    );
  }

  /** Reads at most the expected size (when known) so a longer body is cut off, then checks size and digest. */
  private async readVerified(response: Response, expected: { digest: string; size?: number }, maxBytes: number, url: URL, signal: AbortSignal | undefined): Promise<Buffer> {
    const limit = expected.size === undefined ? maxBytes : expected.size;
    const tooLong = (): RegistryError =>
      expected.size === undefined
        ? new RegistryError('ERR_CONTENT_TOO_LARGE', 'verification-failed', `${expected.digest} is larger than the ${maxBytes}-byte limit`, { details: { maxBytes } })
        : mismatch('ERR_SIZE_MISMATCH', `${expected.digest} is longer than its descriptor's ${expected.size} bytes`);
    const bytes = await this.read(response, limit, url, signal, tooLong);
    if (expected.size !== undefined && bytes.length !== expected.size) throw mismatch('ERR_SIZE_MISMATCH', `${expected.digest} is ${bytes.length} bytes, descriptor says ${expected.size}`);
    if (!digestMatches(bytes, expected.digest)) throw mismatch('ERR_DIGEST_MISMATCH', `content served for ${expected.digest} does not match that digest`);
    return bytes;
  }
}

/** A descriptor from HEAD headers, when they say enough (digest, manifest media type, length). */
function descriptorFromHeaders(response: Response, pinned: string | undefined): Descriptor | undefined {
  const served = response.headers.get(HEADER_DOCKER_CONTENT_DIGEST);
  if (pinned !== undefined && served !== null && served !== pinned) {
    throw mismatch('ERR_DIGEST_MISMATCH', `registry answered ${served} for ${pinned}`);
  }
  const digest = pinned ?? served;
  const mediaType = baseMediaType(response.headers.get('content-type'));
  const length = response.headers.get('content-length');
  const size = length === null ? NaN : Number(length);
  if (digest === null || !isDigest(digest) || !isManifestMediaType(mediaType) || !Number.isSafeInteger(size) || size < 0) return undefined;
  return { mediaType, digest, size };
}

/** The Content-Type when it names a manifest type, else the document's own `mediaType` (registries that answer application/json). */
function servedMediaType(response: Response, bytes: Buffer): string {
  const header = baseMediaType(response.headers.get('content-type'));
  if (isManifestMediaType(header)) return header;
  const declared = (parseShallowJson(bytes) as { mediaType?: unknown } | null | undefined)?.mediaType;
  return typeof declared === 'string' ? declared : header;
}

/** A bound exceeded is a definite failure of that content, not an inconclusive that invites retries. */
function tooDeep(digest: string): RegistryError {
  return new RegistryError('ERR_CONTENT_TOO_DEEP', 'verification-failed', `manifest ${digest} nests deeper than ${MAX_JSON_DEPTH} levels`, { details: { maxDepth: MAX_JSON_DEPTH } });
}

function refuseOversized(size: number | undefined, maxBytes: number, digest: string): void {
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) throw new RegistryError('ERR_INVALID_DESCRIPTOR', 'invalid-input', `descriptor of ${digest} has an invalid size`);
  if (size !== undefined && size > maxBytes) {
    throw new RegistryError('ERR_CONTENT_TOO_LARGE', 'verification-failed', `${digest} is ${size} bytes, over the ${maxBytes}-byte limit`, { details: { size, maxBytes } });
  }
}

function isClientError(status: number): boolean {
  return status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 429;
}

function mismatch(code: 'ERR_DIGEST_MISMATCH' | 'ERR_SIZE_MISMATCH', message: string): RegistryError {
  return new RegistryError(code, 'verification-failed', message);
}

function signalOf(options: RequestOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}
