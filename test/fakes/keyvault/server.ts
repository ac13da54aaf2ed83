import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One version of a Key Vault certificate as the fake stores it. */
export interface FakeCertificateVersion {
  version: string;
  created: Date;
  enabled?: boolean;
  /** DER of the certificate itself (`cer`). */
  leaf: Buffer;
  /** The secret as PEM (certificates + key), what Key Vault returns for outContentType=application/x-pem-file. */
  pem: string;
  /** Optional. The secret as base64 PFX: served when the caller asks for no conversion, or always with `ignoreOutContentType`. */
  pfxBase64?: string;
}

export interface FakeKeyVault {
  url: string;
  certificates: Map<string, FakeCertificateVersion[]>;
  /** Every request: method, path and whether it carried the expected bearer token. */
  requests: Array<{ method: string; path: string; query: URLSearchParams; authorized: boolean }>;
  /** Answer 503 to everything while set. */
  down: boolean;
  /** Serve the PFX even when PEM is requested (an older service that does not convert). */
  ignoreOutContentType: boolean;
  close(): Promise<void>;
}

const CHALLENGE = 'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"';
/** Page size of the versions listing, small so the SDK has to follow nextLink. */
const PAGE_SIZE = 2;

/**
 * A loopback Key Vault speaking the REST shapes the SDK uses: the 401 Bearer challenge, GET
 * /certificates/{name}/versions (paged with nextLink), GET /certificates/{name}/{version} and GET
 * /secrets/{name}/{version}[?outContentType=...]. Plain http: the SDK accepts it with allowInsecureConnection.
 */
export async function startFakeKeyVault(token: string): Promise<FakeKeyVault> {
  const state: Omit<FakeKeyVault, 'url' | 'close'> = { certificates: new Map(), requests: [], down: false, ignoreOutContentType: false };
  let base = '';
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', base);
    const authorized = req.headers.authorization === `Bearer ${token}`;
    state.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, authorized });
    if (state.down) return send(res, 503, { error: { code: 'ServiceUnavailable', message: 'down' } });
    if (!authorized) {
      res.writeHead(401, { 'WWW-Authenticate': CHALLENGE, 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }));
    }
    if (!url.searchParams.get('api-version')) return send(res, 400, { error: { code: 'BadParameter', message: 'api-version missing' } });
    const [, collection, name = '', rest = ''] = url.pathname.split('/');
    const versions = state.certificates.get(name);
    if (req.method !== 'GET' || versions === undefined) return notFound(res, collection === 'secrets' ? 'SecretNotFound' : 'CertificateNotFound');
    if (collection === 'certificates' && rest === 'versions') return listVersions(res, name, versions, Number(url.searchParams.get('$skiptoken') ?? 0));
    const chosen = rest === '' ? newest(versions) : versions.find((v) => v.version === rest);
    if (chosen === undefined) return notFound(res, collection === 'secrets' ? 'SecretNotFound' : 'CertificateNotFound');
    if (chosen.enabled === false) return send(res, 403, { error: { code: 'Forbidden', message: 'Operation get is not allowed on a disabled secret.' } });
    if (collection === 'certificates') return send(res, 200, certificateBundle(name, chosen));
    if (collection === 'secrets') return send(res, 200, secretBundle(name, chosen, url.searchParams.get('outContentType')));
    return notFound(res, 'NotFound');
  }

  function listVersions(res: ServerResponse, name: string, versions: FakeCertificateVersion[], skip: number): void {
    const page = versions.slice(skip, skip + PAGE_SIZE).map((v) => ({
      id: `${base}/certificates/${name}/${v.version}`,
      x5t: Buffer.from(v.version).toString('base64url'),
      attributes: attributes(v),
    }));
    const next = skip + PAGE_SIZE < versions.length ? `${base}/certificates/${name}/versions?api-version=7.6&$skiptoken=${skip + PAGE_SIZE}` : null;
    send(res, 200, { value: page, nextLink: next });
  }

  function certificateBundle(name: string, v: FakeCertificateVersion) {
    return {
      id: `${base}/certificates/${name}/${v.version}`,
      kid: `${base}/keys/${name}/${v.version}`,
      sid: `${base}/secrets/${name}/${v.version}`,
      x5t: Buffer.from(v.version).toString('base64url'),
      cer: v.leaf.toString('base64'),
      attributes: attributes(v),
    };
  }

  function secretBundle(name: string, v: FakeCertificateVersion, outContentType: string | null) {
    const asPfx = v.pfxBase64 !== undefined && (state.ignoreOutContentType || outContentType !== 'application/x-pem-file');
    return {
      id: `${base}/secrets/${name}/${v.version}`,
      kid: `${base}/keys/${name}/${v.version}`,
      value: asPfx ? v.pfxBase64 : v.pem,
      contentType: asPfx ? 'application/x-pkcs12' : 'application/x-pem-file',
      managed: true,
      attributes: attributes(v),
    };
  }

  const vault: FakeKeyVault = Object.assign(state, {
    url: base,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return vault;
}

function newest(versions: FakeCertificateVersion[]): FakeCertificateVersion | undefined {
  return [...versions].sort((a, b) => b.created.getTime() - a.created.getTime())[0];
}

function attributes(v: FakeCertificateVersion) {
  const created = Math.floor(v.created.getTime() / 1000);
  return { enabled: v.enabled !== false, created, updated: created, recoveryLevel: 'Recoverable+Purgeable' };
}

function notFound(res: ServerResponse, code: string): void {
  send(res, 404, { error: { code, message: 'not found' } });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
