import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../core/index.js';
import type { Logger } from '../core/index.js';
import { HEADER_LINK, MAX_MANIFEST_BYTES, MEDIA_TYPE_OCI_INDEX } from './constants.js';
import { referrersTagFor } from './digest.js';
import { RegistryError } from './errors.js';
import { baseMediaType, toDescriptor } from './manifest.js';
import { errorFromResponse } from './response-errors.js';
import { redact } from './transport.js';
import type { Descriptor } from './types.js';

/** How a registry lists referrers: the OCI 1.1 API, or the tag schema fallback. */
export type ReferrersMode = 'api' | 'tag-schema';

/** What `listReferrers` needs from the client: an authorized GET with a bounded body read. */
export interface ReferrersIO {
  /** GET a path under `/v2/<repo>/` or an absolute URL on the registry's origin. */
  get(pathOrUrl: string, accept: string, signal: AbortSignal | undefined): Promise<{ response: Response; url: URL }>;
  read(response: Response, maxBytes: number, url: URL, signal: AbortSignal | undefined): Promise<Buffer>;
  logger: Logger;
}

export interface ListReferrersOptions {
  repository: string;
  subject: Descriptor;
  artifactType: string | undefined;
  maxPages: number;
  signal: AbortSignal | undefined;
  /** The registry's remembered mode (undefined: not known yet). */
  mode: ReferrersMode | undefined;
  remember(mode: ReferrersMode): void;
}

/**
 * Lists the manifests that name `subject` (distribution-spec 1.1 "Listing Referrers"): the referrers API with
 * `Link` pagination up to `maxPages`, falling back to the `<alg>-<hex>` tag index on 404 or a non-index answer.
 * The artifactType filter is always applied here too, whether or not the registry says it filtered
 * (`OCI-Filters-Applied`): a registry's word is no reason to skip a comparison this cheap.
 */
export async function* listReferrers(io: ReferrersIO, options: ListReferrersOptions): AsyncGenerator<Descriptor> {
  if (options.mode === 'tag-schema') {
    yield* fromTagSchema(io, options);
    return;
  }
  const query = options.artifactType === undefined ? '' : `?artifactType=${encodeURIComponent(options.artifactType)}`;
  let next: string | undefined = `referrers/${options.subject.digest}${query}`;
  for (let page = 1; next !== undefined; page++) {
    if (page > options.maxPages) {
      throw new RegistryError('ERR_REFERRERS_TOO_MANY_PAGES', 'inconclusive', `referrers listing of ${options.subject.digest} has more than ${options.maxPages} pages`);
    }
    const { response, url } = await io.get(next, MEDIA_TYPE_OCI_INDEX, options.signal);
    if (page === 1 && response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      options.remember('tag-schema');
      io.logger.log('info', 'oci.referrers.fallback', { reason: 'referrers API answered 404' });
      yield* fromTagSchema(io, options);
      return;
    }
    if (response.status !== 200) throw await errorFromResponse(response, 'referrers', url);
    const isIndex = baseMediaType(response.headers.get('content-type')) === MEDIA_TYPE_OCI_INDEX;
    const link = response.headers.get(HEADER_LINK);
    if (!isIndex) {
      await response.body?.cancel().catch(() => undefined);
      if (page > 1) throw new RegistryError('ERR_INVALID_RESPONSE', 'inconclusive', `referrers page ${page} at ${redact(url)} is not an image index`);
      options.remember('tag-schema');
      io.logger.log('info', 'oci.referrers.fallback', { reason: 'referrers API answered with something other than an image index' });
      yield* fromTagSchema(io, options);
      return;
    }
    const manifests = readIndexManifests(await io.read(response, MAX_MANIFEST_BYTES, url, options.signal), url);
    if (manifests === undefined) throw new RegistryError('ERR_INVALID_RESPONSE', 'inconclusive', `referrers page ${page} at ${redact(url)} is not a valid image index`);
    options.remember('api');
    yield* accepted(io, manifests, options.artifactType);
    next = nextPage(link, url);
  }
}

async function* fromTagSchema(io: ReferrersIO, options: ListReferrersOptions): AsyncGenerator<Descriptor> {
  const { response, url } = await io.get(`manifests/${referrersTagFor(options.subject.digest)}`, MEDIA_TYPE_OCI_INDEX, options.signal);
  if (response.status === 404) {
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  if (response.status !== 200) throw await errorFromResponse(response, 'manifest', url);
  if (baseMediaType(response.headers.get('content-type')) !== MEDIA_TYPE_OCI_INDEX) {
    // The spec: a tag that is not an index means no referrers.
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  const manifests = readIndexManifests(await io.read(response, MAX_MANIFEST_BYTES, url, options.signal), url);
  if (manifests === undefined) throw new RegistryError('ERR_INVALID_RESPONSE', 'inconclusive', `referrers tag index at ${redact(url)} is not a valid image index`);
  yield* accepted(io, manifests, options.artifactType);
}

function* accepted(io: ReferrersIO, manifests: unknown[], artifactType: string | undefined): Generator<Descriptor> {
  for (const entry of manifests) {
    const descriptor = toDescriptor(entry);
    if (!descriptor) {
      io.logger.log('warn', 'oci.referrers.invalid_descriptor', {});
      continue;
    }
    if (artifactType === undefined || descriptor.artifactType === artifactType) yield descriptor;
  }
}

/** The `manifests` array of an image index JSON, or undefined when the bytes are not one. Too deep is a definite failure. */
function readIndexManifests(bytes: Buffer, url: URL): unknown[] | undefined {
  if (exceedsJsonDepth(bytes)) {
    throw new RegistryError('ERR_CONTENT_TOO_DEEP', 'verification-failed', `referrers listing at ${redact(url)} nests deeper than ${MAX_JSON_DEPTH} levels`, { details: { maxDepth: MAX_JSON_DEPTH } });
  }
  try {
    const json = JSON.parse(bytes.toString('utf8')) as { manifests?: unknown };
    return typeof json === 'object' && json !== null && Array.isArray(json.manifests) ? json.manifests : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 8288 `Link: <url>; rel="next"`, resolved against the page URL and kept on the registry's origin. */
export function nextPage(header: string | null, current: URL): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match || !/(?:^|;)\s*rel\s*=\s*"?next"?\s*(?:;|$)/i.test(match[2] ?? '')) continue;
    const target = new URL(match[1] ?? '', current);
    if (target.origin !== current.origin) {
      throw new RegistryError('ERR_INVALID_RESPONSE', 'inconclusive', `referrers Link points to another origin (${target.origin})`);
    }
    return target.toString();
  }
  return undefined;
}
