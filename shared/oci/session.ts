import { lookup } from 'node:dns/promises';
import { BodyReadError, defaultFetch, discardBody, isAbortError, readBodyLimited, silentLogger, systemClock } from '../core/index.js';
import type { Clock, FetchLike, Logger } from '../core/index.js';
import { AddressGuard } from './address.js';
import type { HostResolver } from './address.js';
import type { AadTokenProvider } from './auth/acr.js';
import { Authorizer } from './auth/authorizer.js';
import type { CredentialProvider } from './auth/credentials.js';
import { ACR_HOST_SUFFIXES } from './constants.js';
import { RegistryError } from './errors.js';
import { parseReference, registryApiHost } from './reference.js';
import type { Reference } from './reference.js';
import type { ReferrersMode } from './referrers.js';
import { errorFromResponse } from './response-errors.js';
import type { Subject } from './response-errors.js';
import { Transport, defaultSleep, redact } from './transport.js';
import type { Sleep } from './transport.js';
import type { RepositoryRef } from './types.js';

export interface RegistryClientOptions {
  /** Optional. All HTTP goes through it. Default: global fetch. */
  fetch?: FetchLike;
  /** Optional. Token and address-check expiry. Default: systemClock. */
  clock?: Clock;
  /** Optional. Default: silentLogger. */
  logger?: Logger;
  /** Optional. Credentials per registry (static map, Docker config.json). Default: anonymous. */
  credentials?: CredentialProvider;
  /** Optional. Registries (`host[:port]`) spoken to over plain http; everything else is https. Default: none. */
  plainHttp?: ((host: string) => boolean) | string[];
  /** Optional. Which registries may be contacted; a refused one fails with ERR_REGISTRY_NOT_ALLOWED before any I/O. Default: all. */
  allowRegistry?: (host: string) => boolean;
  /** Optional. Per request attempt, headers and body. Default: 10000. */
  timeoutMs?: number;
  /** Optional. Extra attempts on 5xx, 429 and connection errors. Default: 2. */
  retries?: number;
  /** Optional. First backoff delay, doubled per attempt. Default: 200. */
  backoffMs?: number;
  /** Optional. Longest Retry-After honoured on 429; longer ones fail at once. Default: 5000. */
  maxRetryAfterMs?: number;
  /** Optional. Default: 5. */
  maxRedirects?: number;
  /** Optional. Entra ID credential for ACR (e.g. DefaultAzureCredential). Default: none. */
  aadCredential?: AadTokenProvider;
  /** Optional. Registries that get the Entra ID exchange. Default: hosts ending in .azurecr.io/.cn/.us. */
  aadRegistries?: (host: string) => boolean;
  /** Optional. Tenant sent with the ACR exchange. Default: none (ACR infers it). */
  aadTenantId?: string;
  /** Optional. Resolver for the link-local/metadata check of host names; false disables it. Default: node:dns lookup. */
  resolveHost?: HostResolver | false;
  /** Optional. Waits between retries. Default: setTimeout. */
  sleep?: Sleep;
}

export interface RequestOptions {
  /** Optional. Aborts the whole operation, retries included. */
  signal?: AbortSignal;
}

export interface FetchOptions extends RequestOptions {
  /** Optional. Largest body accepted. Default: 4 MiB for manifests, 32 MiB for blobs. */
  maxBytes?: number;
}

export interface ReferrersOptions extends RequestOptions {
  /** Optional. Only referrers of this artifactType. Default: all. */
  artifactType?: string;
  /** Optional. Most referrers API pages read; more fails with ERR_REFERRERS_TOO_MANY_PAGES. Default: 10. */
  maxPages?: number;
}

/** Everything a request needs besides the client's settings. */
export interface RegistryRequest {
  repo: RepositoryRef;
  /** Path under `/v2/<repo>/`, or an absolute URL on the registry's origin (pagination links). */
  path: string;
  method: 'GET' | 'HEAD';
  accept?: string;
  subject: Subject;
  signal?: AbortSignal;
}

/**
 * The registry client's request core: allowlist, scheme, auth, and bounded body reads. The operations
 * (resolve, fetch, referrers) live in RegistryClient.
 */
export class RegistrySession {
  protected readonly logger: Logger;
  private readonly transport: Transport;
  private readonly authorizer: Authorizer;
  private readonly isPlainHttp: (host: string) => boolean;
  private readonly allowRegistry: (host: string) => boolean;
  private readonly referrersModes = new Map<string, ReferrersMode>();

  constructor(options: RegistryClientOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    const plain = options.plainHttp ?? [];
    this.isPlainHttp = typeof plain === 'function' ? plain : (host) => plain.includes(host.toLowerCase());
    this.allowRegistry = options.allowRegistry ?? (() => true);
    const resolver = options.resolveHost === false ? undefined : (options.resolveHost ?? defaultResolver);
    this.transport = new Transport({
      fetch: options.fetch ?? defaultFetch,
      clock,
      logger: this.logger,
      sleep: options.sleep ?? defaultSleep,
      guard: new AddressGuard(resolver, clock),
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 2,
      backoffMs: options.backoffMs ?? 200,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 5_000,
      maxRedirects: options.maxRedirects ?? 5,
      isPlainHttp: this.isPlainHttp,
    });
    const aadRegistries = options.aadRegistries ?? ((host: string) => ACR_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix)));
    this.authorizer = new Authorizer({
      transport: this.transport,
      clock,
      logger: this.logger,
      credentials: options.credentials,
      aad: options.aadCredential ? { credential: options.aadCredential, appliesTo: aadRegistries, tenantId: options.aadTenantId } : undefined,
      isPlainHttp: this.isPlainHttp,
    });
  }

  /** Sends one authorized request; answers 401 challenges once. The caller owns the response body. */
  protected async request(req: RegistryRequest): Promise<{ response: Response; url: URL }> {
    const { registry, repository } = req.repo;
    if (!this.allowRegistry(registry)) {
      throw new RegistryError('ERR_REGISTRY_NOT_ALLOWED', 'invalid-input', `registry ${registry} is not allowed by configuration`, { details: { registry } });
    }
    const host = registryApiHost(registry);
    const origin = new URL(`${this.isPlainHttp(registry) || this.isPlainHttp(host) ? 'http' : 'https'}://${host}`);
    const url = /^https?:\/\//.test(req.path) ? new URL(req.path) : new URL(`/v2/${repository}/${req.path}`, origin);
    if (url.origin !== origin.origin) throw new RegistryError('ERR_INVALID_RESPONSE', 'inconclusive', `refusing to follow ${url.origin} from registry ${registry}`);
    const scope = `repository:${repository}:pull`;
    const headers: Record<string, string> = req.accept ? { accept: req.accept } : {};
    const init = { method: req.method, headers, ...(req.signal ? { signal: req.signal } : {}) };
    const first = await this.authorizer.preAuthorize(registry, origin, scope, req.signal);
    let response = await this.transport.send(url, { ...init, ...(first ? { authorization: first } : {}) });
    if (response.status === 401) {
      const challenge = response.headers.get('www-authenticate');
      await discardBody(response);
      const authorization = await this.authorizer.answer(registry, origin, challenge, scope, first, req.signal);
      response = await this.transport.send(url, { ...init, authorization });
    }
    return { response, url };
  }

  /** Reads a body of at most `maxBytes`; `tooLarge` names the error for a body past the limit. */
  protected async read(response: Response, maxBytes: number, url: URL, signal: AbortSignal | undefined, tooLarge: () => RegistryError = () => this.tooLarge(url, maxBytes)): Promise<Buffer> {
    try {
      return await readBodyLimited(response, maxBytes);
    } catch (error) {
      if (!(error instanceof BodyReadError)) throw error;
      if (error.code === 'ERR_BODY_TOO_LARGE') throw tooLarge();
      if (signal?.aborted) throw new RegistryError('ERR_REGISTRY_ABORTED', 'inconclusive', `reading ${redact(url)} aborted by the caller`, { cause: error });
      if (isAbortError(error.cause)) throw new RegistryError('ERR_REGISTRY_TIMEOUT', 'inconclusive', `reading ${redact(url)} timed out`, { cause: error });
      throw new RegistryError('ERR_REGISTRY_CONNECTION', 'inconclusive', `reading ${redact(url)} failed`, { cause: error });
    }
  }

  protected async expectOk(response: Response, subject: Subject, url: URL): Promise<void> {
    if (response.status !== 200) throw await errorFromResponse(response, subject, url);
  }

  protected referrersMode(registry: string): ReferrersMode | undefined {
    return this.referrersModes.get(registry);
  }

  protected rememberReferrersMode(registry: string, mode: ReferrersMode): void {
    this.referrersModes.set(registry, mode);
  }

  private tooLarge(url: URL, maxBytes: number): RegistryError {
    return new RegistryError('ERR_CONTENT_TOO_LARGE', 'verification-failed', `${redact(url)} is larger than the ${maxBytes}-byte limit`, { details: { maxBytes } });
  }
}

/** Accepts a Reference, a reference string, or a bare `{registry, repository}`. */
export function toRepositoryRef(ref: Reference | RepositoryRef | string): RepositoryRef {
  return typeof ref === 'string' ? parseReference(ref) : ref;
}

const defaultResolver: HostResolver = async (hostname) => (await lookup(hostname, { all: true })).map((entry) => entry.address);
