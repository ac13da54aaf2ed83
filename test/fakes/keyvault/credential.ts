import type { AccessToken, TokenCredential } from '@azure/identity';

/** A TokenCredential that hands out one static token and remembers the scopes it was asked for. */
export class StaticTokenCredential implements TokenCredential {
  readonly scopes: string[] = [];
  constructor(readonly token = 'fake-kv-token') {}

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return { token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}
