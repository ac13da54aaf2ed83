import 'reflect-metadata';
import { createPrivateKey, randomUUID, sign, webcrypto } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as x509 from '@peculiar/x509';

/**
 * A loopback Docker token server (https://distribution.github.io/distribution/spec/auth/token/) for tests:
 * it issues ES256 JWTs with an `x5c` header, which docker-registry 2.8 accepts when its
 * `auth.token.rootcertbundle` holds `certificatePem`. Every requested action is granted.
 */
export interface TokenServerOptions {
  /** Optional. Default: 'trustgate-test-registry'. Must equal the registry's `auth.token.service`. */
  service?: string;
  /** Optional. Default: 'trustgate-test-issuer'. Must equal the registry's `auth.token.issuer`. */
  issuer?: string;
  /** Optional. When set, GET needs these basic credentials and POST `grant_type=password` checks them. Default: anonymous allowed. */
  credentials?: { username: string; password: string };
  /** Optional. Token lifetime in seconds. Default: 300. */
  expiresInSeconds?: number;
}

/** One request the server saw (tests assert on how the client authenticated). */
export interface TokenRequestRecord {
  method: string;
  scopes: string[];
  grantType?: string;
  authorization?: string;
  refreshToken?: string;
}

export interface TokenServer {
  /** The `realm` URL to configure, e.g. `http://127.0.0.1:PORT/token`. */
  realm: string;
  service: string;
  issuer: string;
  /** PEM of the self-signed signing certificate (the registry's rootcertbundle). */
  certificatePem: string;
  /** The refresh token this server issues and accepts. */
  refreshToken: string;
  requests: TokenRequestRecord[];
  stop(): Promise<void>;
}

/** Starts the token server on 127.0.0.1 with a free port. */
export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const service = options.service ?? 'trustgate-test-registry';
  const issuer = options.issuer ?? 'trustgate-test-issuer';
  const expiresIn = options.expiresInSeconds ?? 300;
  const { certificate, privateKeyPem } = await selfSignedSigner();
  const certificatePem = certificate.toString('pem');
  const x5c = [Buffer.from(certificate.rawData).toString('base64')];
  const refreshToken = `refresh-${randomUUID()}`;
  const requests: TokenRequestRecord[] = [];

  const issue = (scopes: string[], subject: string): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c };
    const claims = { iss: issuer, sub: subject, aud: service, iat: now, nbf: now - 5, exp: now + expiresIn, jti: randomUUID(), access: scopes.map(toAccess) };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key: createPrivateKey(privateKeyPem), dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorization = req.headers.authorization;
    if (req.method === 'GET') {
      const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
      requests.push({ method: 'GET', scopes, ...(authorization ? { authorization } : {}) });
      const user = checkBasic(authorization, options.credentials);
      if (user === undefined) return reply(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
      const token = issue(scopes, user);
      const body: Record<string, unknown> = { token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() };
      if (url.searchParams.get('offline_token') === 'true') body.refresh_token = refreshToken;
      return reply(res, 200, body);
    }
    if (req.method === 'POST') {
      const form = new URLSearchParams(await readText(req));
      const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
      const grantType = form.get('grant_type') ?? '';
      const record: TokenRequestRecord = { method: 'POST', scopes, grantType };
      const presented = form.get('refresh_token');
      if (presented !== null) record.refreshToken = presented;
      requests.push(record);
      const ok =
        (grantType === 'refresh_token' && presented === refreshToken) ||
        (grantType === 'password' && checkBasic(basicOf(form.get('username'), form.get('password')), options.credentials) !== undefined);
      if (!ok) return reply(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid grant' }] });
      const token = issue(scopes, form.get('username') ?? 'refresh-user');
      return reply(res, 200, { access_token: token, expires_in: expiresIn, refresh_token: refreshToken });
    }
    reply(res, 405, { errors: [{ code: 'UNSUPPORTED', message: 'method not allowed' }] });
  };

  const server = createServer((req, res) => void handle(req, res).catch(() => reply(res, 500, {})));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certificatePem,
    refreshToken,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function selfSignedSigner(): Promise<{ certificate: x509.X509Certificate; privateKeyPem: string }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=trustgate test token issuer',
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 24 * 3600_000),
    signingAlgorithm: algorithm,
    keys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64')}\n-----END PRIVATE KEY-----\n`;
  return { certificate, privateKeyPem };
}

/** `repository:name:pull,push` → a JWT access entry (repository names may not contain ':' but hosts in other scopes can). */
function toAccess(scope: string): { type: string; name: string; actions: string[] } {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

/** Returns the authenticated user name ('anonymous' when no credentials are configured), or undefined when refused. */
function checkBasic(header: string | undefined, expected: TokenServerOptions['credentials']): string | undefined {
  if (!expected) return header ? decodeBasic(header)?.username ?? 'anonymous' : 'anonymous';
  const given = header ? decodeBasic(header) : undefined;
  return given && given.username === expected.username && given.password === expected.password ? given.username : undefined;
}

function decodeBasic(header: string): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const text = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function basicOf(username: string | null, password: string | null): string | undefined {
  return username === null || password === null ? undefined : `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
