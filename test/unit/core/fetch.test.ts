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
});
