import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { HttpResponseInit } from '@azure/functions';
import { InvocationContext } from './functions-runtime.js';
import { LocalHttpRequest } from './local-request.js';
import type { FunctionDefinition } from '../functions/definition.js';
import type { Logger } from '../shared/core/index.js';
import { problemResponse } from '../shared/http/index.js';
import { invokeEventGrid } from './eventgrid.js';
import { logHandler, type LogHandler } from './log-handler.js';
import { matchRoute } from './routes.js';

/** The local host reads at most this much of a request; handlers apply their own, smaller caps. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface LocalHostOptions {
  /** Required. The functions to serve (the same list functions/index.ts registers with Azure). */
  definitions: readonly FunctionDefinition[];
  /** Required. */
  logger: Logger;
  /** Optional. Default 7071 (the Functions host's local port). */
  port?: number;
  /** Optional. Default 127.0.0.1. */
  host?: string;
}

export interface LocalHost {
  url: string;
  /** Stops accepting connections, lets in-flight requests finish for up to `drainMs` (default 5 s), then cuts the rest. */
  close(drainMs?: number): Promise<void>;
}

const DEFAULT_DRAIN_MS = 5000;

async function drain(server: Server, drainMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections(); // keep-alive connections with no request would otherwise hold close() open
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, drainMs);
  });
  await Promise.race([closed, deadline]);
  clearTimeout(timer);
  await closed;
}

/**
 * Serves the functions like the Functions host does locally: HTTP triggers under /api/<route>,
 * `POST /admin/functions/<name>` for non-HTTP functions and `POST /runtime/webhooks/eventgrid?functionName=`
 * for Event Grid functions. Like `func start`, function keys are not enforced locally.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const log = logHandler(options.logger);
  const server = createServer((req, res) => {
    handle(options, log, req, res).catch((error: unknown) => {
      options.logger.log('error', 'host.request_failed', { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) send(res, problemResponse(500, 'ERR_INTERNAL', 'internal error'));
      else res.destroy();
    });
  });
  await listen(server, options.port ?? 7071, options.host ?? '127.0.0.1');
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return { url, close: (drainMs = DEFAULT_DRAIN_MS) => drain(server, drainMs) };
}

async function handle(options: LocalHostOptions, log: LogHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  // Route first: nothing is read from a request no function will take.
  const readBody = () => readRequest(req);

  if (url.pathname === '/runtime/webhooks/eventgrid') {
    return send(res, await invokeEventGrid(options, method, url, req.headers, readBody));
  }
  const admin = /^\/admin\/functions\/([\w-]+)$/.exec(url.pathname);
  if (admin) {
    if (method !== 'POST') return send(res, methodNotAllowed(method, ['POST']));
    return send(res, await invokeAdmin(options, admin[1] as string));
  }

  const match = matchRoute(options.definitions, method, url.pathname);
  if (!match) return send(res, problemResponse(404, 'ERR_NOT_FOUND', `no function serves ${url.pathname}`));
  if ('allow' in match) return send(res, methodNotAllowed(method, match.allow));
  const body = method === 'GET' || method === 'HEAD' ? new Uint8Array() : await readBody();
  if (body === 'too-large') return send(res, problemResponse(413, 'ERR_BODY_TOO_LARGE', 'request body too large'));
  const request = new LocalHttpRequest({ method, url, headers: flattenHeaders(req.headers), params: match.params, body });
  const context = new InvocationContext({ invocationId: randomUUID(), functionName: match.definition.name, logHandler: log });
  send(res, await match.definition.handler(request, context));
}

function methodNotAllowed(method: string, allow: readonly string[]): HttpResponseInit {
  const answer = problemResponse(405, 'ERR_METHOD_NOT_ALLOWED', `${method} is not allowed here`);
  return { ...answer, headers: { ...(answer.headers as Record<string, string>), allow: allow.join(', ') } };
}

async function invokeAdmin(options: LocalHostOptions, name: string): Promise<HttpResponseInit> {
  const definition = options.definitions.find((d) => d.name.toLowerCase() === name.toLowerCase());
  if (!definition || definition.kind === 'http') return problemResponse(404, 'ERR_NOT_FOUND', 'no timer function of that name');
  if (definition.kind !== 'timer') {
    return problemResponse(400, 'ERR_USE_EVENTGRID_ENDPOINT', 'Event Grid functions are invoked through /runtime/webhooks/eventgrid');
  }
  const context = new InvocationContext({ invocationId: randomUUID(), functionName: definition.name, logHandler: logHandler(options.logger) });
  await definition.handler({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: undefined as never }, context);
  return { status: 202 };
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

async function readRequest(req: IncomingMessage): Promise<Uint8Array | 'too-large'> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > MAX_REQUEST_BYTES) {
      req.resume();
      return 'too-large';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, total);
}

function send(res: ServerResponse, response: HttpResponseInit): void {
  const headers = plainHeaders(response.headers);
  let payload: string | Uint8Array | undefined;
  if (response.jsonBody !== undefined) {
    payload = JSON.stringify(response.jsonBody);
    headers['content-type'] ??= 'application/json';
  } else if (typeof response.body === 'string' || response.body instanceof Uint8Array) {
    payload = response.body;
  }
  // A known length: one write of head and body, without chunked framing (writeHead alone would choose chunked).
  if (payload !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status ?? 200, headers);
  res.end(payload);
}

/** Response headers as one lowercased object (a Headers instance only when the handler gave one). */
function plainHeaders(headers: HttpResponseInit['headers']): Record<string, string> {
  if (headers === undefined) return {};
  const entries = headers instanceof Headers ? [...headers] : Array.isArray(headers) ? headers : Object.entries(headers as Record<string, string>);
  const plain: Record<string, string> = {};
  for (const [name, value] of entries as [string, string][]) {
    const key = name.toLowerCase();
    plain[key] = plain[key] === undefined ? value : `${plain[key]}, ${value}`;
  }
  return plain;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
