import { AppError } from './errors.js';

/**
 * The HTTP port every remote reader takes (registry, token, OCSP, CRL, Key Vault). Same shape as the
 * global `fetch`, so production passes `fetch` and tests pass a route table or a loopback server.
 */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export const defaultFetch: FetchLike = (input, init) => fetch(input, init);

export class BodyReadError extends AppError {}

/** Anything with headers and a body stream: a fetch Response, an @azure/functions HttpRequest. */
export interface BodySource {
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
  /** Optional. The whole body, already in memory (the local host's requests): read without a stream. */
  readonly bufferedBody?: Uint8Array;
}

/**
 * Reads a body into memory, refusing to go past `maxBytes`: the stream is cancelled as soon
 * as the limit is crossed, so an oversized or endless body never gets buffered whole.
 * A declared Content-Length above the limit is refused before reading.
 */
export async function readBodyLimited(response: BodySource, maxBytes: number): Promise<Buffer> {
  const buffered = response.bufferedBody;
  if (buffered !== undefined) {
    if (buffered.byteLength > maxBytes) throw tooLarge(maxBytes);
    return Buffer.from(buffered.buffer, buffered.byteOffset, buffered.byteLength);
  }
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes, Number(declared));
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof BodyReadError) throw error;
    throw new BodyReadError('ERR_BODY_READ', 'inconclusive', `reading the response body failed: ${(error as Error).message}`, { cause: error });
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
}

/** Discards a body we do not need, so the connection can be reused. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function tooLarge(maxBytes: number, declared?: number): BodyReadError {
  const what = declared === undefined ? 'more than' : `${declared} bytes, over`;
  return new BodyReadError('ERR_BODY_TOO_LARGE', 'inconclusive', `response body is ${what} the ${maxBytes}-byte limit`, {
    details: { maxBytes, ...(declared === undefined ? {} : { declared }) },
  });
}

/** An AbortSignal that fires after `timeoutMs` or when `parent` aborts, whichever comes first. */
export function timeoutSignal(timeoutMs: number, parent?: AbortSignal): AbortSignal {
  const timer = AbortSignal.timeout(timeoutMs);
  return parent ? AbortSignal.any([parent, timer]) : timer;
}

/** True when an error came from an aborted/timed-out request. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
