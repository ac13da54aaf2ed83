import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

/** An address the egress policy checked. */
export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

/** Sends one request to `target` (undefined: let the transport resolve; only when resolution is disabled). */
export type PinnedConnect = (url: URL, init: RequestInit, target: ResolvedTarget | undefined) => Promise<Response>;

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

/**
 * A fetch over node:http/https whose connection goes to the already-checked address: the socket's `lookup` answers
 * with that address instead of asking DNS again, while TLS still verifies the certificate against the host name (SNI).
 * Redirects are never followed; the body streams and is cancelled with the signal.
 */
export const pinnedFetch: PinnedConnect = (url, init, target) =>
  new Promise<Response>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason as Error);
    const secure = url.protocol === 'https:';
    const lookup: LookupFunction | undefined = target
      ? (_host, options, callback) => {
          if ((options as { all?: boolean }).all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [target]);
          else callback(null, target.address, target.family);
        }
      : undefined;
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method: init.method ?? 'GET',
      headers: toHeaderRecord(init.headers),
      agent: secure ? httpsAgent : httpAgent,
      ...(lookup ? { lookup } : {}),
    });
    const onAbort = (): void => void request.destroy(signal?.reason as Error);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    request.on('response', (message) => resolve(toResponse(message, signal, onAbort)));
    const body = init.body;
    if (body !== undefined && body !== null) request.end(typeof body === 'string' ? body : Buffer.from(body as Uint8Array));
    else request.end();
  });

function toResponse(message: IncomingMessage, signal: AbortSignal | undefined, onAbort: () => void): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const status = message.statusCode ?? 502;
  message.on('close', () => signal?.removeEventListener('abort', onAbort));
  if (signal) signal.addEventListener('abort', () => message.destroy(signal.reason as Error), { once: true });
  const nullBody = status === 204 || status === 205 || status === 304;
  if (nullBody) message.resume();
  const body = nullBody ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>);
  return new Response(body, { status: status < 200 || status > 599 ? 502 : status, statusText: message.statusMessage ?? '', headers });
}

function toHeaderRecord(headers: RequestInit['headers']): Record<string, string> {
  if (headers === undefined) return {};
  return Object.fromEntries(new Headers(headers).entries());
}
