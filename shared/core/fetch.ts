import { setMaxListeners } from 'node:events';
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

/** Requests that start within this window share their timeout signal (it fires up to this much later). */
const TIMEOUT_WINDOW_MS = 50;
/** Listeners a shared timeout signal may have at once (one per request in flight that uses it). */
const SHARED_SIGNAL_LISTENERS = 4096;

interface SharedTimeout {
  timeoutMs: number;
  window: number;
  signal: AbortSignal;
}

const unparented: SharedTimeout[] = [];
const byParent = new WeakMap<AbortSignal, SharedTimeout[]>();

/**
 * An AbortSignal that fires when `parent` aborts or at least `timeoutMs` after this call, whichever comes first.
 * Requests with the same parent and timeout that start within the same 50 ms share one signal, which fires
 * `timeoutMs` after the end of that window: so the registry reads of one verification share one timeout signal
 * instead of two new signals (a timer and a combination) per request. A time bound is never shortened, only
 * lengthened by at most 50 ms.
 */
export function timeoutSignal(timeoutMs: number, parent?: AbortSignal): AbortSignal {
  const now = performance.now();
  const window = Math.floor(now / TIMEOUT_WINDOW_MS);
  const shared = parent ? byParent.get(parent) : unparented;
  const known = shared?.find((s) => s.timeoutMs === timeoutMs && s.window === window && !s.signal.aborted);
  if (known) return known.signal;
  const timer = AbortSignal.timeout(Math.ceil((window + 1) * TIMEOUT_WINDOW_MS - now) + timeoutMs);
  const signal = parent ? AbortSignal.any([parent, timer]) : timer;
  setMaxListeners(SHARED_SIGNAL_LISTENERS, signal);
  const entry = { timeoutMs, window, signal };
  // Only the current window's signals are kept: older ones are no longer handed out.
  const kept = (shared ?? []).filter((s) => s.window === window);
  kept.push(entry);
  if (!parent) unparented.splice(0, unparented.length, ...kept);
  else byParent.set(parent, kept);
  return signal;
}

/** True when an error came from an aborted/timed-out request. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
