import { SingleFlight } from '../../core/index.js';
import type { Clock, Logger } from '../../core/index.js';
import { TOKEN_EXPIRY_MARGIN_MS } from '../constants.js';
import { RegistryError } from '../errors.js';
import type { Transport } from '../transport.js';
import { exchangeAadToken } from './acr.js';
import type { AadTokenProvider } from './acr.js';
import { parseChallenge } from './challenge.js';
import type { AuthChallenge } from './challenge.js';
import type { CredentialProvider, RegistryCredential } from './credentials.js';
import { basicAuthorization, requestToken } from './token-client.js';

export interface AuthorizerSettings {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  credentials: CredentialProvider | undefined;
  aad: { credential: AadTokenProvider; appliesTo: (registry: string) => boolean; tenantId: string | undefined } | undefined;
  isPlainHttp: (host: string) => boolean;
  /** Token realm hosts allowed for a registry besides its own API host. */
  realmHosts: (registry: string) => readonly string[];
}

interface CachedSecret {
  value: string;
  expiresAt: number;
}

/**
 * Decides the Authorization header per (registry, scope): remembers each registry's challenge so later
 * requests authorize up front, caches bearer tokens until shortly before they expire (by the injected clock),
 * and merges concurrent fetches of the same token into one request.
 */
export class Authorizer {
  private readonly challenges = new Map<string, AuthChallenge>();
  private readonly tokens = new Map<string, CachedSecret>();
  private readonly acrRefreshTokens = new Map<string, CachedSecret>();
  private readonly tokenFlights = new SingleFlight<string>();
  private readonly exchangeFlights = new SingleFlight<string>();

  constructor(private readonly settings: AuthorizerSettings) {}

  /** The header to send before any 401, when this registry's challenge is already known. */
  async preAuthorize(registry: string, apiOrigin: URL, scope: string, signal?: AbortSignal): Promise<string | undefined> {
    const challenge = this.challenges.get(registry);
    return challenge ? this.authorize(registry, apiOrigin, challenge, scope, signal) : undefined;
  }

  /**
   * Handles a 401: parses and remembers the challenge, drops a token the registry no longer accepts, and returns
   * a header to retry with. Throws ERR_AUTH_CHALLENGE (malformed) or ERR_REGISTRY_UNAUTHORIZED (nothing to offer).
   */
  async answer(registry: string, apiOrigin: URL, header: string | null, scope: string, rejected: string | undefined, signal?: AbortSignal): Promise<string> {
    const challenge = parseChallenge(header);
    this.challenges.set(registry, challenge);
    if (rejected !== undefined) this.tokens.delete(tokenKey(registry, scope));
    const authorization = await this.authorize(registry, apiOrigin, challenge, scope, signal);
    if (authorization === undefined || authorization === rejected) {
      throw new RegistryError('ERR_REGISTRY_UNAUTHORIZED', 'inconclusive', `registry ${registry} requires credentials that were not accepted or not configured`, { status: 401 });
    }
    return authorization;
  }

  private async authorize(registry: string, apiOrigin: URL, challenge: AuthChallenge, scope: string, signal?: AbortSignal): Promise<string | undefined> {
    switch (challenge.scheme) {
      case 'basic': {
        const credential = await this.settings.credentials?.(registry);
        return credential?.kind === 'basic' ? basicAuthorization(credential.username, credential.password) : undefined;
      }
      case 'bearer':
        return `Bearer ${await this.bearerToken(registry, apiOrigin, challenge, scope, signal)}`;
    }
  }

  private async bearerToken(registry: string, apiOrigin: URL, challenge: AuthChallenge & { scheme: 'bearer' }, scope: string, signal?: AbortSignal): Promise<string> {
    const key = tokenKey(registry, scope);
    const cached = this.fresh(this.tokens, key);
    if (cached !== undefined) return cached;
    return this.tokenFlights.run(key, async () => {
      this.checkRealm(registry, apiOrigin, challenge.realm);
      const credential = await this.credentialFor(registry, apiOrigin, challenge, signal);
      const issued = await requestToken(this.settings.transport, challenge, scope, credential, signal);
      this.tokens.set(key, { value: issued.token, expiresAt: this.settings.clock.now().getTime() + issued.expiresInMs - TOKEN_EXPIRY_MARGIN_MS });
      this.settings.logger.log('debug', 'oci.token', { registry, scope, expiresInMs: issued.expiresInMs });
      return issued.token;
    });
  }

  /**
   * The credential this registry's own token endpoint (`<origin>/oauth2/token`, as ACR serves it) accepts: explicit,
   * or an ACR refresh token from the Entra exchange. For a party that talks to the registry's own origin on its own
   * (trust data ACR serves from the registry host); the caller must present it to that origin only.
   */
  ownOriginCredential(registry: string, apiOrigin: URL, signal?: AbortSignal): Promise<RegistryCredential | undefined> {
    return this.credentialFor(registry, apiOrigin, { realm: new URL('/oauth2/token', apiOrigin).href, service: apiOrigin.host }, signal);
  }

  /** Explicit credentials win; else Entra ID for ACR hosts; else anonymous. */
  private async credentialFor(registry: string, apiOrigin: URL, challenge: { realm: string; service?: string }, signal?: AbortSignal): Promise<RegistryCredential | undefined> {
    const explicit = await this.settings.credentials?.(registry);
    if (explicit) return explicit;
    const aad = this.settings.aad;
    if (!aad || !aad.appliesTo(registry)) return undefined;
    // The Entra token only ever goes to the registry's own origin, whatever realm the challenge names.
    if (new URL(challenge.realm).origin !== apiOrigin.origin) {
      throw new RegistryError('ERR_AUTH_CHALLENGE', 'inconclusive', `ACR realm ${new URL(challenge.realm).origin} is not the registry's origin; not sending an Entra token there`);
    }
    const cached = this.fresh(this.acrRefreshTokens, registry);
    if (cached !== undefined) return { kind: 'refresh-token', refreshToken: cached };
    const refreshToken = await this.exchangeFlights.run(registry, async () => {
      const exchanged = await exchangeAadToken(this.settings.transport, aad.credential, apiOrigin, challenge.service ?? apiOrigin.host, aad.tenantId, signal);
      this.acrRefreshTokens.set(registry, { value: exchanged.refreshToken, expiresAt: exchanged.expiresOnTimestamp - TOKEN_EXPIRY_MARGIN_MS });
      return exchanged.refreshToken;
    });
    return { kind: 'refresh-token', refreshToken };
  }

  /**
   * Credentials are bound to the registry: a token realm must be on the registry's own host or on a realm host the
   * operator allowed for it (Docker Hub: auth.docker.io), and https unless that host was explicitly marked plain-http.
   * Anything else is refused before a request, so no credential (Basic, refresh token) reaches a stranger.
   */
  private checkRealm(registry: string, apiOrigin: URL, realm: string): void {
    const url = new URL(realm);
    if (url.protocol === 'http:' && !this.settings.isPlainHttp(url.host)) {
      throw new RegistryError('ERR_AUTH_CHALLENGE', 'inconclusive', `token realm ${url.origin} is plain http and not listed as insecure`);
    }
    const host = url.hostname.toLowerCase();
    const allowed = host === apiOrigin.hostname.toLowerCase() || this.settings.realmHosts(registry).some((entry) => entry.toLowerCase() === host);
    if (!allowed) {
      this.settings.logger.log('warn', 'oci.realm_refused', { registry, realm: url.origin });
      throw new RegistryError('ERR_AUTH_CHALLENGE', 'inconclusive', `registry ${registry} names token realm ${url.host}, which is neither its own host nor an allowed realm host`);
    }
  }

  private fresh(cache: Map<string, CachedSecret>, key: string): string | undefined {
    const entry = cache.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.settings.clock.now().getTime()) return entry.value;
    cache.delete(key);
    return undefined;
  }
}

function tokenKey(registry: string, scope: string): string {
  return `${registry}|${scope}`;
}
