import { describe, expect, it } from 'vitest';
import { readBodyLimited } from '../../../shared/core/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

function streamOf(chunks: number, chunkSize: number): { response: Response; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(chunkSize));
    },
  });
  return { response: new Response(body), pulled: () => pulled };
}

describe('readBodyLimited', () => {
  it('returns the whole body when under the limit', async () => {
    const body = await readBodyLimited(new Response('hello'), 5);
    expect(body.toString()).toBe('hello');
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const response = new Response('x'.repeat(10), { headers: { 'content-length': '10' } });
    await expectAppError(readBodyLimited(response, 5), 'ERR_BODY_TOO_LARGE', 'inconclusive');
  });

  it('stops reading an endless body once past the limit', async () => {
    const { response, pulled } = streamOf(1_000_000, 1024);
    await expectAppError(readBodyLimited(response, 4096), 'ERR_BODY_TOO_LARGE');
    expect(pulled()).toBeLessThan(10);
  });

  it('reads a body that fits its declared length, and cuts one that runs past the limit whatever it declared', async () => {
    expect((await readBodyLimited(new Response('hello', { headers: { 'content-length': '5' } }), 5)).toString()).toBe('hello');
    await expectAppError(readBodyLimited(new Response('hello, more', { headers: { 'content-length': '5' } }), 5), 'ERR_BODY_TOO_LARGE', 'inconclusive');
  });

  it.each([
    ['no other framing', {}],
    ['a Content-Encoding (decompressed bytes are not what the length counts)', { 'content-encoding': 'gzip' }],
    ['a Transfer-Encoding (it overrides the length)', { 'transfer-encoding': 'chunked' }],
  ])('a declared length with %s is read chunk by chunk under the limit', async (_name, headers) => {
    // An endless body: read whole by its declared length, this would never end.
    const { response: endless, pulled } = streamOf(1_000_000, 1024);
    const response = new Response(endless.body, { headers: { 'content-length': '10', ...headers } });
    await expectAppError(readBodyLimited(response, 4096), 'ERR_BODY_TOO_LARGE');
    expect(pulled()).toBeLessThan(10);
  });
});
