import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Auth of the fake registry: none, Basic, the Docker token flow (`/token`), or ACR's Entra exchange
 * (`/oauth2/exchange` + `/oauth2/token`). Tokens are opaque strings; every issued one is remembered.
 */
export type FakeAuthMode = 'none' | 'basic' | 'token' | 'acr';

export interface TokenRequestLog {
  path: string;
  method: string;
  grantType?: string;
  scope: string;
  authorization?: string;
  refreshToken?: string;
  accessToken?: string;
}

export interface FakeAuthOptions {
  mode: FakeAuthMode;
  credentials: { username: string; password: string } | undefined;
  /** Token lifetime the token endpoint announces. */
  expiresIn: number;
  /** The Entra token `/oauth2/exchange` accepts (acr mode). */
  aadToken: string;
}

export class FakeAuth {
  readonly tokenRequests: TokenRequestLog[] = [];
  /** Overrides the WWW-Authenticate header sent with 401 (malformed-challenge tests). */
  challengeOverride: string | undefined;
  private readonly tokens = new Set<string>();
  private readonly refreshTokens = new Set<string>();

  constructor(
    private readonly options: FakeAuthOptions,
    private readonly baseUrl: () => string,
  ) {}

  /** Refuses every issued token (as if they were revoked). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** True when the registry request may proceed; otherwise a 401 with a challenge has been sent. */
  check(req: IncomingMessage, res: ServerResponse, repository: string): boolean {
    const header = req.headers.authorization ?? '';
    switch (this.options.mode) {
      case 'none':
        return true;
      case 'basic':
        if (this.basicOk(header)) return true;
        return this.challenge(res, 'Basic realm="fake-registry"');
      case 'token':
      case 'acr': {
        if (header.startsWith('Bearer ') && this.tokens.has(header.slice(7))) return true;
        const realm = this.options.mode === 'acr' ? `${this.baseUrl()}/oauth2/token` : `${this.baseUrl()}/token`;
        const actions = req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'pull,push';
        return this.challenge(res, `Bearer realm="${realm}",service="fake-registry",scope="repository:${repository}:${actions}"`);
      }
    }
  }

  /** Serves `/token`, `/oauth2/token` and `/oauth2/exchange`; false when the path is not one of them. */
  async serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (!['/token', '/oauth2/token', '/oauth2/exchange'].includes(url.pathname)) return false;
    const form = req.method === 'POST' ? new URLSearchParams(await readText(req)) : url.searchParams;
    const log: TokenRequestLog = { path: url.pathname, method: req.method ?? '', scope: form.getAll('scope').join(' ') };
    const grantType = form.get('grant_type');
    if (grantType !== null) log.grantType = grantType;
    if (req.headers.authorization) log.authorization = req.headers.authorization;
    const refresh = form.get('refresh_token');
    if (refresh !== null) log.refreshToken = refresh;
    const access = form.get('access_token');
    if (access !== null) log.accessToken = access;
    this.tokenRequests.push(log);

    if (url.pathname === '/oauth2/exchange') {
      if (req.method !== 'POST' || grantType !== 'access_token' || access !== this.options.aadToken) return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad aad token' }] });
      const refreshToken = `acr-refresh-${randomUUID()}`;
      this.refreshTokens.add(refreshToken);
      return json(res, 200, { refresh_token: refreshToken });
    }
    const allowed =
      req.method === 'POST'
        ? grantType === 'refresh_token' && refresh !== null && this.refreshTokens.has(refresh)
        : this.options.credentials === undefined || this.basicOk(req.headers.authorization ?? '');
    if (!allowed) return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'token request refused' }] });
    const token = `tok-${randomUUID()}`;
    this.tokens.add(token);
    return json(res, 200, { token, access_token: token, expires_in: this.options.expiresIn });
  }

  /** A refresh token the fake accepts on POST (for identitytoken tests). */
  issueRefreshToken(): string {
    const token = `refresh-${randomUUID()}`;
    this.refreshTokens.add(token);
    return token;
  }

  private basicOk(header: string): boolean {
    const expected = this.options.credentials;
    if (!expected || !header.startsWith('Basic ')) return false;
    return Buffer.from(header.slice(6), 'base64').toString('utf8') === `${expected.username}:${expected.password}`;
  }

  private challenge(res: ServerResponse, header: string): false {
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': this.challengeOverride ?? header });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
    return false;
  }
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return true;
}
