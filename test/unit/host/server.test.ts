import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionDefinition } from '../../../functions/definition.js';
import { memoryLogger } from '../../../shared/core/index.js';
import { matchRoute } from '../../../host/routes.js';
import { startLocalHost, type LocalHost } from '../../../host/server.js';

const seen: string[] = [];
const definitions: FunctionDefinition[] = [
  {
    kind: 'http', name: 'echo', methods: ['POST'], authLevel: 'anonymous', route: 'v1/echo/{key?}',
    handler: async (request) => ({ status: 200, jsonBody: { key: request.params['key'] ?? null, body: await request.text(), q: request.query.get('q') } }),
  },
  { kind: 'http', name: 'health', methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: async () => ({ status: 200, body: 'ok' }) },
  { kind: 'timer', name: 'recheck', schedule: '0 */15 * * * *', handler: async () => void seen.push('timer') },
  {
    kind: 'eventGrid', name: 'acrEvents',
    handler: async (event) => {
      if ((event as { id?: string }).id === 'fail') throw new Error('retry me');
      seen.push(`event:${(event as { id?: string }).id}`);
    },
  },
];

let host: LocalHost;
beforeAll(async () => {
  host = await startLocalHost({ definitions, logger: memoryLogger(), port: 0 });
});
afterAll(() => host.close());

describe('matchRoute', () => {
  it('matches literal, parameter and optional segments case-insensitively', () => {
    expect(matchRoute(definitions, 'POST', '/api/v1/echo')).toMatchObject({ params: {} });
    expect(matchRoute(definitions, 'POST', '/api/V1/Echo/abc')).toMatchObject({ params: { key: 'abc' } });
    expect(matchRoute(definitions, 'GET', '/api/v1/echo')).toEqual({ allow: ['POST'] });
    expect(matchRoute(definitions, 'POST', '/api/v1/echo/a/b')).toBeUndefined();
    expect(matchRoute(definitions, 'GET', '/other')).toBeUndefined();
  });
});

describe('local host', () => {
  it('serves HTTP functions with params, query and body', async () => {
    const response = await fetch(`${host.url}/api/v1/echo/k1?q=2`, { method: 'POST', body: 'hello' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ key: 'k1', body: 'hello', q: '2' });
    expect(await (await fetch(`${host.url}/api/health`)).text()).toBe('ok');
    expect((await fetch(`${host.url}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/health`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers with a Content-Length (one write, no chunked framing), for UTF-8 bodies too', async () => {
    const response = await fetch(`${host.url}/api/v1/echo?q=%C3%A9`, { method: 'POST', body: 'grüße' });
    const text = await response.text();
    expect(response.headers.get('transfer-encoding')).toBeNull();
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toMatchObject({ body: 'grüße', q: 'é' });
  });

  it('runs a timer through the admin endpoint', async () => {
    const response = await fetch(`${host.url}/admin/functions/recheck`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(202);
    expect(seen).toContain('timer');
    expect((await fetch(`${host.url}/admin/functions/nope`, { method: 'POST' })).status).toBe(404);
  });

  it('delivers Event Grid events, answers the handshakes and reports failures as 500', async () => {
    const url = `${host.url}/runtime/webhooks/eventgrid?functionName=acrEvents`;
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const validation = await post([{ id: 'v', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: { validationCode: 'abc' } }], {
      'aeg-event-type': 'SubscriptionValidation',
    });
    expect(await validation.json()).toEqual({ validationResponse: 'abc' });
    const options = await fetch(url, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
    expect(options.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
    expect((await post([{ id: 'e1' }, { id: 'e2' }], { 'aeg-event-type': 'Notification' })).status).toBe(200);
    expect(seen).toEqual(expect.arrayContaining(['event:e1', 'event:e2']));
    expect((await post([{ id: 'fail' }])).status).toBe(500);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' })).status).toBe(400);
    expect((await fetch(url, { method: 'POST', body: '[]' })).status).toBe(415);
    expect((await fetch(`${host.url}/runtime/webhooks/eventgrid?functionName=zzz`, { method: 'POST', body: '[]' })).status).toBe(404);
  });
});
