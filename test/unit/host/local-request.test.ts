import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LocalHttpRequest } from '../../../host/local-request.js';
import { readJsonBody } from '../../../shared/http/index.js';

const make = (body = '{"a":1}', url = 'http://127.0.0.1:7071/api/v1/verify?reference=x&timeout=10s') =>
  new LocalHttpRequest({ method: 'POST', url: new URL(url), headers: { 'content-type': 'application/json', 'x-arr-clientcert': 'abc' }, params: { key: 'k' }, body: new TextEncoder().encode(body) });

describe('LocalHttpRequest: the local host request without a web stream', () => {
  it('reads the buffered body through readJsonBody, capped like a streamed one', async () => {
    expect(await readJsonBody(make(), { maxBytes: 100, schema: z.object({ a: z.number() }) })).toEqual({ a: 1 });
    await expect(readJsonBody(make('{"a":"' + 'x'.repeat(200) + '"}'), { maxBytes: 100, schema: z.unknown() })).rejects.toMatchObject({ code: 'ERR_BODY_TOO_LARGE' });
  });

  it('answers the HttpRequest interface: method, url, headers, query, params, user', () => {
    const request = make();
    expect([request.method, request.url, request.params.key, request.user]).toEqual(['POST', 'http://127.0.0.1:7071/api/v1/verify?reference=x&timeout=10s', 'k', null]);
    expect(request.headers.get('X-ARR-ClientCert')).toBe('abc');
    expect(request.query.get('timeout')).toBe('10s');
  });

  it('gives the body once, as text, JSON or bytes, like fetch does', async () => {
    const request = make('{"b":2}');
    expect(request.bodyUsed).toBe(false);
    expect(await request.json()).toEqual({ b: 2 });
    expect(request.bodyUsed).toBe(true);
    await expect(request.text()).rejects.toThrow(TypeError);
    expect(new TextDecoder().decode(await make('xyz').arrayBuffer())).toBe('xyz');
  });

  it('builds a real stream, blob or clone only when asked', async () => {
    expect(await new Response(make('streamed').body).text()).toBe('streamed');
    expect(await (await make('blob').blob()).text()).toBe('blob');
    expect(await make('cloned').clone().text()).toBe('cloned');
  });
});
