import { BodyReadError, EgressPolicy, discardBody, isAbortError, readBodyLimited, silentLogger, systemClock } from '../core/index.js';
import type { Clock, FetchLike, HostResolver, Logger } from '../core/index.js';
import type { AadTokenProvider } from './auth/acr.js';
import { Authorizer } from './auth/authorizer.js';
import type { RegistryCredential } from './auth/credential.js';
import type { CredentialProvider } from './auth/credentials.js';
import { ACR_HOST_SUFFIXES } from './constants.js';
import { RegistryError } from './errors.js';
import { parseReference, registryApiHost } from './reference.js';
import type { Reference } from './reference.js';
import { ReferrersCapabilities } from './referrers-capability.js';
import type { ReferrersMode } from './referrers.js';
import { errorFromResponse } from './response-errors.js';
import type { Subject } from './response-errors.js';
import { Transport, defaultSleep, redact } from './transport.js';
import type { Sleep } from './transport.js';
import type { RepositoryRef } from './types.js';

export interface RegistryClientOptions {
  /**
   * Optional. The egress policy every request (registry, redirect targets, token realms) goes through.
   * Default: one built from `fetch`, `resolveHost` and `namedRegistry`.
   */
  egress?: EgressPolicy;
  /** Optional. A fake transport for tests: requests still pass the egress checks, then go to it. Default: node http pinned to the checked address. */
  fetch?: FetchLike;
  /**
   * Optional. Registries the operator named explicitly (trust policy scopes, TRUSTGATE_ALLOWED_REGISTRIES without "*",
   * TRUSTGATE_PLAIN_HTTP): only they may resolve to loopback/private addresses, and only their network errors are
   * shown in detail. Default: `allowRegistry` when given, else every registry (a CLI user named the reference).
   */
  namedRegistry?: (host: string) => boolean;
  /**
   * Optional. Token realm hosts a registry may send its clients to besides its own host (realms must be https unless
   * listed as plain http). Default: DEFAULT_TOKEN_REALM_HOSTS (docker.io → auth.docker.io).
   */
  tokenRealmHosts?: (registry: string) => readonly string[];
  /**
   * Optional. Hosts a registry may redirect content-addressed GETs to although they resolve to loopback/private
   * addresses (an on-premises registry's object store). Default: none (redirect targets must be public).
   */
  storageHosts?: (host: string) => boolean;
  /** Optional. How long a registry repository's referrers capability (API or tag schema) is trusted before it is probed again. Default: 900000 (15 min). */
  referrersProbeMs?: number;
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
  /** Optional. Resolver of the egress policy; false skips resolution (fake transports in tests). Default: node:dns lookup. */
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
  /** True when the path names content by digest: only then may a redirect lead to another origin (without credentials). */
  contentAddressed?: boolean;
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
  private readonly referrersModes: ReferrersCapabilities;

  constructor(options: RegistryClientOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    const plain = options.plainHttp ?? [];
    this.isPlainHttp = typeof plain === 'function' ? plain : (host) => plain.includes(host.toLowerCase());
    this.allowRegistry = options.allowRegistry ?? (() => true);
    this.referrersModes = new ReferrersCapabilities(clock, options.referrersProbeMs ?? 900_000);
    const storageHosts = options.storageHosts ?? (() => false);
    const named = namedRegistries(options.namedRegistry ?? options.allowRegistry ?? (() => true), (host) => this.isPlainHttp(host) || storageHosts(host));
    const fake = options.fetch;
    const egress =
      options.egress ??
      new EgressPolicy({
        named,
        clock,
        ...(options.resolveHost === undefined ? {} : { resolve: options.resolveHost }),
        ...(fake ? { connect: (url: URL, init: RequestInit) => fake(url, init) } : {}),
      });
    this.transport = new Transport({
      egress,
      clock,
      logger: this.logger,
      sleep: options.sleep ?? defaultSleep,
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 2,
      backoffMs: options.backoffMs ?? 200,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 5_000,
      maxRedirects: options.maxRedirects ?? 5,
      storageHosts,
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
      realmHosts: options.tokenRealmHosts ?? defaultRealmHosts,
    });
  }

  /**
   * The operator's credential for a registry (Docker config, or the app identity's ACR exchange), for schemes that
   * read the registry's own origin themselves (DCT trust data on ACR). Undefined for a registry not allowed.
   */
  async credentialFor(registry: string, signal?: AbortSignal): Promise<RegistryCredential | undefined> {
    if (!this.allowRegistry(registry)) return undefined;
    const host = registryApiHost(registry);
    const origin = new URL(`${this.isPlainHttp(registry) || this.isPlainHttp(host) ? 'http' : 'https'}://${host}`);
    return this.authorizer.ownOriginCredential(registry, origin, signal);
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
    const init = { method: req.method, headers, contentAddressed: req.contentAddressed === true && req.method === 'GET', ...(req.signal ? { signal: req.signal } : {}) };
    const first = await this.authorizer.preAuthorize(registry, origin, scope, req.signal);
    const answer = await this.transport.exchange(url, { ...init, ...(first ? { authorization: first } : {}) });
    let response = answer.response;
    // Only the registry's own origin may challenge: a 401 from a redirect target is an answer, not a reason to send credentials.
    if (response.status === 401 && answer.url.origin === origin.origin) {
      const challenge = response.headers.get('www-authenticate');
      await discardBody(response);
      const authorization = await this.authorizer.answer(registry, origin, challenge, scope, first, req.signal);
      response = await this.transport.send(url, { ...init, authorization });
    } else if (response.status === 401) {
      this.logger.log('warn', 'oci.foreign_challenge_ignored', { registry, from: answer.url.origin });
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

  /** The referrers capability remembered for this registry *and repository* (undefined: probe again). */
  protected referrersMode(repo: RepositoryRef): ReferrersMode | undefined {
    return this.referrersModes.get(repo);
  }

  protected rememberReferrersMode(repo: RepositoryRef, mode: ReferrersMode): void {
    this.referrersModes.remember(repo, mode);
  }

  private tooLarge(url: URL, maxBytes: number): RegistryError {
    return new RegistryError('ERR_CONTENT_TOO_LARGE', 'verification-failed', `${redact(url)} is larger than the ${maxBytes}-byte limit`, { details: { maxBytes } });
  }
}

/** Accepts a Reference, a reference string, or a bare `{registry, repository}`. */
export function toRepositoryRef(ref: Reference | RepositoryRef | string): RepositoryRef {
  return typeof ref === 'string' ? parseReference(ref) : ref;
}

/** Token realms on another host than the registry's own that are allowed without configuration. */
export const DEFAULT_TOKEN_REALM_HOSTS: Readonly<Record<string, readonly string[]>> = {
  'docker.io': ['auth.docker.io'],
  'registry-1.docker.io': ['auth.docker.io'],
};

const defaultRealmHosts = (registry: string): readonly string[] => DEFAULT_TOKEN_REALM_HOSTS[registry.toLowerCase()] ?? [];

/** Named registries, their API hosts (docker.io → registry-1.docker.io) and plain-http hosts. */
function namedRegistries(named: (host: string) => boolean, plainHttp: (host: string) => boolean): (host: string) => boolean {
  return (host) => named(host) || plainHttp(host) || (host === 'registry-1.docker.io' && named('docker.io'));
}

