import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FunctionDefinition } from '../../../functions/definition.js';
import { memoryLogger } from '../../../shared/core/index.js';
import { startTimers } from '../../../host/scheduler.js';
import { stopOnSignals } from '../../../host/lifecycle.js';
import { startLocalHost, type LocalHost } from '../../../host/server.js';

const seen: string[] = [];
let release: () => void = () => undefined;
let reached = false;
const definitions: FunctionDefinition[] = [
  { kind: 'http', name: 'health', methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: async () => ({ status: 200, body: 'ok' }) },
  {
    kind: 'http', name: 'slow', methods: ['POST'], authLevel: 'anonymous', route: 'slow',
    handler: async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
        reached = true;
      });
      return { status: 200, body: 'done' };
    },
  },
  { kind: 'eventGrid', name: 'acrEvents', handler: async (event) => void seen.push(`event:${(event as { id?: string }).id}`) },
];

let host: LocalHost;
beforeAll(async () => {
  host = await startLocalHost({ definitions, logger: memoryLogger(), port: 0 });
});
afterAll(() => host.close(100));

describe('HTTP edges of the local host', () => {
  it('an unknown route is 404 problem+json', async () => {
    const response = await fetch(`${host.url}/api/nothing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
  });

  it('a wrong method is 405 problem+json with Allow', async () => {
    const response = await fetch(`${host.url}/api/health`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'ERR_METHOD_NOT_ALLOWED' });
    const admin = await fetch(`${host.url}/admin/functions/recheck`);
    expect([admin.status, admin.headers.get('allow')]).toEqual([405, 'POST']);
    const events = await fetch(`${host.url}/runtime/webhooks/eventgrid?functionName=acrEvents`);
    expect([events.status, events.headers.get('allow')]).toEqual([405, 'POST, OPTIONS']);
  });

  it('routes before reading the body: a request to no function is answered while its body is still arriving', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${host.url}/api/nothing`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(8 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('{"partial": '); // the rest never comes
    });
    expect(status).toBe(404);
  });

  it('a declared body over the limit is refused without reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${host.url}/api/slow`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('{');
    });
    expect(status).toBe(413);
  });

  it('a validation event inside a notification batch does not hide the real events', async () => {
    const response = await fetch(`${host.url}/runtime/webhooks/eventgrid?functionName=acrEvents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
      body: JSON.stringify([{ id: 'v', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: { validationCode: 'x' } }, { id: 'real' }]),
    });
    expect(response.status).toBe(200);
    expect(seen).toContain('event:real');
  });
});

describe('stopping', () => {
  it('drains an in-flight request, refuses new connections, then closes', async () => {
    const other = await startLocalHost({ definitions, logger: memoryLogger(), port: 0 });
    const inFlight = fetch(`${other.url}/api/slow`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await vi.waitFor(() => expect(reached).toBe(true), { timeout: 10_000 });
    const closing = other.close(10_000);
    await expect(fetch(`${other.url}/api/health`)).rejects.toThrow();
    release();
    const response = await inFlight;
    expect([response.status, await response.text()]).toEqual([200, 'done']);
    await closing;
  });

  it('SIGTERM and SIGINT stop once (drain, exit 0); a second signal while draining exits at once', async () => {
    const listeners = new Map<string, Array<() => void>>();
    const exits: number[] = [];
    const source = {
      once: (signal: string, listener: () => void) => listeners.set(signal, [...(listeners.get(signal) ?? []), listener]),
      exit: (code: number) => void exits.push(code),
    };
    let finish: () => void = () => undefined;
    stopOnSignals(() => new Promise<void>((resolve) => (finish = resolve)), source);
    const fire = (signal: string) => {
      const [first, ...rest] = listeners.get(signal) ?? [];
      listeners.set(signal, rest);
      first?.();
    };
    fire('SIGTERM');
    expect(exits).toEqual([]);
    fire('SIGINT');
    expect(exits).toEqual([130]);
    finish();
    await vi.waitFor(() => expect(exits).toEqual([130, 0]));
  });
});

describe('timers run on their NCRONTAB schedule', () => {
  afterEach(() => vi.useRealTimers());

  it('fires at each occurrence (UTC), one run at a time, and stops', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T10:07:30Z'));
    const runs: string[] = [];
    const timers = startTimers(
      [{ kind: 'timer', name: 'recheck', schedule: '0 0 * * * *', handler: async () => void runs.push(new Date().toISOString()) }],
      memoryLogger(),
      { recheck: '0 */15 * * * *' },
    );
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(runs).toEqual(['2026-01-01T10:15:00.000Z', '2026-01-01T10:30:00.000Z']);
    timers.stop();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(runs).toHaveLength(2);
  });
});
