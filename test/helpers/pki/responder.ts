import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchLike } from '../../../shared/core/index.js';
import type { TestCert } from './certs.js';
import { issueOcspResponse, requestedSerials, type OcspCertStatus, type OcspResponseOptions } from './ocsp.js';

/** How a route misbehaves: connection refused, never answers (until aborted), junk body, HTTP 500. */
export type Fault = 'down' | 'slow' | 'garbage' | 'http500';

/** What an OCSP route answers for a serial: a status, or full response options (minus issuer/cert). */
export type OcspAnswer = OcspCertStatus | Partial<Omit<OcspResponseOptions, 'issuer' | 'cert'>>;

export interface OcspRoute {
  /** Required. The CA whose certificates this responder answers for. */
  issuer: TestCert;
  /** Optional. A delegated responder certificate. Default: the issuer signs. */
  responder?: TestCert;
  /** Optional. Answer per serial (lowercase hex). Default: every serial is 'good'. */
  answer?: (serial: string) => OcspAnswer;
}

type Route = { kind: 'crl'; body: () => Uint8Array } | { kind: 'ocsp'; route: OcspRoute };

/** A request seen by the responder. */
export interface SeenRequest {
  method: string;
  url: string;
}

/**
 * In-process CRL and OCSP responders behind a FetchLike route table (no sockets): `responder.fetch` is what
 * the revocation code gets. Every request is recorded, and each URL can be given a fault.
 */
export class RevocationResponder {
  readonly requests: SeenRequest[] = [];
  private readonly routes = new Map<string, Route>();
  private readonly faults = new Map<string, Fault>();

  /** Serves a CRL (DER, or a function producing it at request time) at `url`. */
  serveCrl(url: string, der: Uint8Array | (() => Uint8Array)): this {
    this.routes.set(url, { kind: 'crl', body: typeof der === 'function' ? der : () => der });
    return this;
  }

  /** Answers OCSP GET (`url/<base64 request>`) and POST (`url`) requests. */
  serveOcsp(url: string, route: OcspRoute): this {
    this.routes.set(url, { kind: 'ocsp', route });
    return this;
  }

  /** Makes every request to `url` (or under it) fail in the given way; undefined clears it. */
  fault(url: string, fault: Fault | undefined): this {
    if (fault) this.faults.set(url, fault);
    else this.faults.delete(url);
    return this;
  }

  /** Number of requests whose URL starts with `url`. */
  count(url: string): number {
    return this.requests.filter((r) => r.url.startsWith(url)).length;
  }

  readonly fetch: FetchLike = async (input, init) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    this.requests.push({ method, url });
    const body = init?.body === undefined || init.body === null ? undefined : new Uint8Array(await new Response(init.body).arrayBuffer());
    return this.handle(method, url, body, init?.signal ?? undefined);
  };

  /** The routing core, shared by `fetch` and the loopback server. */
  async handle(method: string, url: string, body: Uint8Array | undefined, signal?: AbortSignal): Promise<Response> {
    const match = this.match(url);
    const fault = match ? this.faults.get(match.base) : this.faults.get(url);
    if (fault) return this.misbehave(fault, signal);
    if (!match) return new Response('not found', { status: 404 });
    const { base, route } = match;
    if (route.kind === 'crl') return binary(route.body(), 'application/pkix-crl');
    const request = method === 'POST' ? body : decodeGetRequest(url.slice(base.length + 1));
    if (!request) return new Response('bad request', { status: 400 });
    try {
      return binary(this.answerOcsp(route.route, request), 'application/ocsp-response');
    } catch {
      return binary(issueOcspResponse({ issuer: route.route.issuer, cert: { serial: '00' }, status: 'unknown', responseStatus: 'malformedRequest' }), 'application/ocsp-response');
    }
  }

  private match(url: string): { base: string; route: Route } | undefined {
    const exact = this.routes.get(url);
    if (exact) return { base: url, route: exact };
    for (const [base, route] of this.routes) {
      if (route.kind === 'ocsp' && url.startsWith(`${base}/`)) return { base, route };
    }
    return undefined;
  }

  private answerOcsp(route: OcspRoute, request: Uint8Array): Uint8Array {
    const serial = requestedSerials(request)[0] ?? '';
    const answer = route.answer?.(serial) ?? 'good';
    const options = typeof answer === 'string' ? { status: answer } : answer;
    return issueOcspResponse({
      status: 'good',
      ...(route.responder ? { responder: route.responder } : {}),
      ...options,
      issuer: route.issuer,
      cert: { serial },
    });
  }

  private async misbehave(fault: Fault, signal?: AbortSignal): Promise<Response> {
    switch (fault) {
      case 'down':
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1'), { code: 'ECONNREFUSED' }) });
      case 'slow':
        return new Promise<Response>((_, reject) => {
          const abort = () => reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
          if (signal?.aborted) abort();
          signal?.addEventListener('abort', abort, { once: true });
        });
      case 'garbage':
        return binary(new TextEncoder().encode('<html>this is not DER</html>'), 'text/html');
      case 'http500':
        return new Response('internal error', { status: 500 });
    }
  }
}

function binary(der: Uint8Array, contentType: string): Response {
  return new Response(der, { status: 200, headers: { 'content-type': contentType, 'content-length': String(der.byteLength) } });
}

function decodeGetRequest(encoded: string): Uint8Array | undefined {
  try {
    return new Uint8Array(Buffer.from(decodeURIComponent(encoded), 'base64'));
  } catch {
    return undefined;
  }
}

/** A loopback HTTP server (127.0.0.1, free port) in front of a RevocationResponder, for integration tests. */
export interface RevocationServer {
  /** e.g. http://127.0.0.1:41234 — routes are registered on the responder with this prefix. */
  readonly origin: string;
  close(): Promise<void>;
}

export async function startRevocationServer(responder: RevocationResponder): Promise<RevocationServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = `${origin()}${req.url ?? '/'}`;
      const method = req.method ?? 'GET';
      responder.requests.push({ method, url });
      const body = chunks.length > 0 ? new Uint8Array(Buffer.concat(chunks)) : undefined;
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      responder
        .handle(method, url, body, abort.signal)
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin: origin(),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
