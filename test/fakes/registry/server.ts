import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Descriptor } from '../../../shared/oci/types.js';
import { FakeAuth } from './auth.js';
import type { FakeAuthMode, TokenRequestLog } from './auth.js';
import { defaultFaults, matches, takeFailure } from './faults.js';
import type { FakeFaults } from './faults.js';
import { ContentStore, digestOf } from './store.js';

/**
 * An in-process OCI registry on 127.0.0.1 speaking the distribution-spec 1.1 wire format: manifests
 * (HEAD/GET/PUT by tag or digest), blobs (HEAD/GET, POST+PUT upload), tags/list, the referrers API with
 * `Link` pagination and artifactType filtering, optional auth, and fault injection (see FakeFaults).
 */
export interface FakeRegistryOptions {
  /** Optional. Default: 'none'. */
  auth?: FakeAuthMode;
  /** Optional. Basic credentials (basic mode; token mode GETs need them when set). Default: none. */
  credentials?: { username: string; password: string };
  /** Optional. `expires_in` of issued tokens, seconds. Default: 300. */
  tokenExpiresIn?: number;
  /** Optional. The Entra token `/oauth2/exchange` accepts. Default: 'aad-token'. */
  aadToken?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path and query. */
  path: string;
  authorization?: string;
}

export interface FakeRegistry {
  /** `127.0.0.1:PORT`. */
  host: string;
  url: string;
  /** The blob storage behind redirects: another origin. */
  storageUrl: string;
  faults: FakeFaults;
  auth: FakeAuth;
  requests: RecordedRequest[];
  storageRequests: RecordedRequest[];
  tokenRequests: TokenRequestLog[];
  /** Stores a blob directly (no HTTP). */
  putBlob(repository: string, bytes: Buffer | string, mediaType?: string): Descriptor;
  /** Stores a manifest directly under its digest and, optionally, a tag. */
  putManifest(repository: string, manifest: object | Buffer, options?: { mediaType?: string; tag?: string }): Descriptor;
  stop(): Promise<void>;
}

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const store = new ContentStore();
  const faults = defaultFaults();
  const requests: RecordedRequest[] = [];
  const storageRequests: RecordedRequest[] = [];
  let baseUrl = '';
  let storageUrl = '';
  const auth = new FakeAuth(
    { mode: options.auth ?? 'none', credentials: options.credentials, expiresIn: options.tokenExpiresIn ?? 300, aadToken: options.aadToken ?? 'aad-token' },
    () => baseUrl,
  );
  const registry = createServer((req, res) => void handle(req, res).catch((error: Error) => res.writeHead(500).end(error.message)));
  const storage = createServer((req, res) => {
    storageRequests.push(record(req));
    const digest = new URL(req.url ?? '/', 'http://x').pathname.replace('/blobs/', '');
    const blob = store.findBlob(digest);
    if (!blob) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length }).end(blob);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    if (await auth.serve(req, res, url)) return;
    requests.push(record(req));
    const line = `${req.method} ${url.pathname}${url.search}`;
    if (faults.delay && matches(faults.delay, line)) await new Promise((resolve) => setTimeout(resolve, faults.delay?.ms));
    const failure = takeFailure(faults, line);
    if (failure) return void res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers }).end(failure.body ?? JSON.stringify({ errors: [{ code: 'UNKNOWN', message: `injected ${failure.status}` }] }));
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      if (auth.check(req, res, '')) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const route = /^\/v2\/(.+?)\/(manifests|blobs\/uploads|blobs|referrers|tags)\/(.*)$/.exec(url.pathname);
    if (!route) return void ociError(res, 404, 'NAME_INVALID', 'unknown route');
    const [, repository = '', kind, rest = ''] = route;
    if (!auth.check(req, res, repository)) return;
    switch (kind) {
      case 'manifests':
        return req.method === 'PUT' ? putManifest(req, res, repository, rest) : getManifest(req, res, repository, rest, line);
      case 'blobs/uploads':
        return upload(req, res, repository, rest, url);
      case 'blobs':
        return getBlob(req, res, repository, rest, line);
      case 'referrers':
        return referrers(res, repository, rest, url);
      default:
        return void json(res, 200, 'application/json', { name: repository, tags: store.tags(repository) });
    }
  }

  function getManifest(req: IncomingMessage, res: ServerResponse, repository: string, reference: string, line: string): void {
    const found = store.getManifest(repository, reference);
    if (!found) return ociError(res, 404, 'MANIFEST_UNKNOWN', `manifest ${reference} unknown`);
    const headers: Record<string, string> = { 'content-type': found.manifest.mediaType };
    if (!faults.omitDigestHeader) headers['docker-content-digest'] = found.digest;
    send(req, res, headers, faults.replaceContent.get(found.digest) ?? found.manifest.bytes, line);
  }

  async function putManifest(req: IncomingMessage, res: ServerResponse, repository: string, reference: string): Promise<void> {
    const bytes = await readBody(req);
    const digest = store.putManifest(repository, reference, { mediaType: req.headers['content-type'] ?? OCI_MANIFEST, bytes });
    res.writeHead(201, { location: `/v2/${repository}/manifests/${digest}`, 'docker-content-digest': digest }).end();
  }

  function getBlob(req: IncomingMessage, res: ServerResponse, repository: string, digest: string, line: string): void {
    const blob = store.getBlob(repository, digest);
    if (!blob) return ociError(res, 404, 'BLOB_UNKNOWN', `blob ${digest} unknown`);
    if (faults.redirectBlobs) return void res.writeHead(307, { location: `${storageUrl}/blobs/${digest}?sig=presigned` }).end();
    send(req, res, { 'content-type': 'application/octet-stream', 'docker-content-digest': digest }, faults.replaceContent.get(digest) ?? blob, line);
  }

  async function upload(req: IncomingMessage, res: ServerResponse, repository: string, session: string, url: URL): Promise<void> {
    if (req.method === 'POST') return void res.writeHead(202, { location: `/v2/${repository}/blobs/uploads/${randomUUID()}`, 'content-length': 0 }).end();
    const bytes = await readBody(req);
    const digest = url.searchParams.get('digest');
    if (!session || digest !== digestOf(bytes)) return ociError(res, 400, 'DIGEST_INVALID', 'digest does not match');
    store.putBlob(repository, bytes);
    res.writeHead(201, { location: `/v2/${repository}/blobs/${digest}`, 'docker-content-digest': digest }).end();
  }

  function referrers(res: ServerResponse, repository: string, digest: string, url: URL): void {
    const mode = faults.referrers;
    if (mode.api === 'not-found') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    if (mode.api === 'non-index') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome</html>');
    if (mode.api === 'malformed-json') return void res.writeHead(200, { 'content-type': OCI_INDEX }).end('{"manifests": [');
    const artifactType = url.searchParams.get('artifactType');
    let all = store.referrers(repository, digest);
    const filtering = mode.filter && artifactType !== null;
    if (filtering) all = all.filter((d) => d.artifactType === artifactType);
    const offset = Number(url.searchParams.get('offset') ?? '0');
    const page = all.slice(offset, offset + mode.pageSize);
    const headers: Record<string, string> = { 'content-type': OCI_INDEX };
    if (filtering) headers['oci-filters-applied'] = 'artifactType';
    if (mode.linkOverride && offset === 0) headers.link = `<${mode.linkOverride}>; rel="next"`;
    else if (mode.endless || offset + mode.pageSize < all.length) {
      const next = new URLSearchParams(url.searchParams);
      next.set('offset', String(offset + mode.pageSize));
      headers.link = `</v2/${repository}/referrers/${digest}?${next.toString()}>; rel="next"`;
    }
    json(res, 200, OCI_INDEX, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: page }, headers);
  }

  /** Sends content, honouring the body faults. */
  function send(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>, bytes: Buffer, line: string): void {
    if (req.method === 'HEAD') return void res.writeHead(200, { ...headers, 'content-length': bytes.length }).end();
    if (matches(faults.endlessBody, line)) {
      res.writeHead(200, headers);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      return pump();
    }
    if (matches(faults.truncateBody, line)) {
      res.writeHead(200, { ...headers, 'content-length': bytes.length });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      return void setTimeout(() => res.destroy(), 10);
    }
    if (matches(faults.stallBody, line)) {
      res.writeHead(200, { ...headers, 'content-length': bytes.length });
      return void res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    }
    res.writeHead(200, { ...headers, 'content-length': bytes.length }).end(bytes);
  }

  function json(res: ServerResponse, status: number, type: string, body: unknown, headers: Record<string, string> = {}): void {
    const bytes = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { ...headers, 'content-type': type, 'content-length': bytes.length }).end(bytes);
  }

  const [registryPort, storagePort] = await Promise.all([listen(registry), listen(storage)]);
  baseUrl = `http://127.0.0.1:${registryPort}`;
  storageUrl = `http://127.0.0.1:${storagePort}`;
  return {
    host: `127.0.0.1:${registryPort}`,
    url: baseUrl,
    storageUrl,
    faults,
    auth,
    requests,
    storageRequests,
    tokenRequests: auth.tokenRequests,
    putBlob(repository, bytes, mediaType = 'application/octet-stream') {
      const body = Buffer.from(bytes);
      return { mediaType, digest: store.putBlob(repository, body), size: body.length };
    },
    putManifest(repository, manifest, putOptions = {}) {
      const bytes = Buffer.isBuffer(manifest) ? manifest : Buffer.from(JSON.stringify(manifest));
      const mediaType = putOptions.mediaType ?? (Buffer.isBuffer(manifest) ? OCI_MANIFEST : ((manifest as { mediaType?: string }).mediaType ?? OCI_MANIFEST));
      const digest = store.putManifest(repository, putOptions.tag ?? digestOf(bytes), { mediaType, bytes });
      return { mediaType, digest, size: bytes.length };
    },
    stop: async () => {
      registry.closeAllConnections();
      storage.closeAllConnections();
      await Promise.all([close(registry), close(storage)]);
    },
  };
}

function record(req: IncomingMessage): RecordedRequest {
  return { method: req.method ?? '', path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) };
}

function ociError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code, message }] }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
