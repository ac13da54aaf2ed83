import { readFileSync } from 'node:fs';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { makeAcrEventsHandler } from '../../functions/acr-events.js';
import { REST_SUBJECTS_IN_FLIGHT } from '../../functions/deadlines.js';
import { makeVerifyHandler } from '../../functions/verify.js';
import { runCli } from '../../cli/run.js';
import type { PushHandler, VerificationService } from '../../shared/verification/index.js';

/** A service that never answers on its own: it answers inconclusive only when the caller's signal aborts. */
function waitingService() {
  const seen: { signals: AbortSignal[]; peak: number } = { signals: [], peak: 0 };
  let inFlight = 0;
  const service = {
    verify: (reference: string, options?: { signal?: AbortSignal }) =>
      new Promise((resolve) => {
        const signal = options?.signal;
        if (!signal) throw new Error('no deadline signal');
        seen.signals.push(signal);
        seen.peak = Math.max(seen.peak, ++inFlight);
        signal.addEventListener('abort', () => {
          inFlight--;
          resolve({ subject: { reference }, decision: 'inconclusive', signatures: [], evidence: [], reasons: [{ code: 'ERR_VERIFICATION_DEADLINE', message: 'deadline' }], verifiedAt: '', expiresAt: '' });
        });
      }),
  } as unknown as VerificationService;
  return { service, seen };
}

describe('overall deadlines at the surfaces (issue 9 finding 6)', () => {
  it('REST: every verification of a request gets one deadline signal and the answer comes when it fires', async () => {
    const { service, seen } = waitingService();
    const handler = makeVerifyHandler({ verification: service, deadlineMs: 50 });
    const subjects = Array.from({ length: 3 }, (_, i) => `registry.example/app${i}:v1`);
    const request = new HttpRequest({ method: 'POST', url: 'http://localhost/api/v1/verify', headers: { 'content-type': 'application/json' }, body: { string: JSON.stringify({ subjects }) } });
    const response = (await handler(request, new InvocationContext())) as HttpResponseInit;
    expect(response.status).toBe(200);
    const { results } = response.jsonBody as { results: Array<{ decision: string }> };
    expect(results.map((r) => r.decision)).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
    expect(seen.signals.every((signal) => signal.aborted)).toBe(true);
    expect(seen.peak).toBeLessThanOrEqual(REST_SUBJECTS_IN_FLIGHT);
  });

  it('REST: subjects memory knows are answered without a verification, the rest are verified, in request order', async () => {
    const verified: string[] = [];
    const verdict = (reference: string, decision: string) => ({ subject: { reference }, decision, evidence: [], reasons: [], verifiedAt: '', expiresAt: '' });
    const service = {
      cached: (reference: string) => (reference.endsWith(':warm') ? verdict(reference, 'allow') : undefined),
      verify: async (reference: string) => (verified.push(reference), verdict(reference, 'deny')),
    } as unknown as VerificationService;
    const subjects = ['registry.example/a:warm', 'registry.example/b:cold', 'registry.example/c:warm'];
    const request = new HttpRequest({ method: 'POST', url: 'http://localhost/api/v1/verify', headers: { 'content-type': 'application/json' }, body: { string: JSON.stringify({ subjects }) } });
    const response = (await makeVerifyHandler({ verification: service })(request, new InvocationContext())) as HttpResponseInit;
    const { results } = response.jsonBody as { results: Array<{ decision: string }> };
    expect(results.map((r) => r.decision)).toEqual(['allow', 'deny', 'allow']);
    expect(verified).toEqual(['registry.example/b:cold']);
  });

  it('Event Grid: a delivery hands its deadline signal to the push handler', async () => {
    const signals: Array<AbortSignal | undefined> = [];
    const push = { handle: async (_event: unknown, signal?: AbortSignal) => (signals.push(signal), { kind: 'deleted' }) } as unknown as PushHandler;
    const handler = makeAcrEventsHandler({ push, deadlineMs: 10_000 });
    const event = JSON.parse(readFileSync(new URL('../fixtures/events/eventgrid/image-deleted.json', import.meta.url), 'utf8')) as Parameters<typeof handler>[0];
    await handler(event, new InvocationContext());
    expect(signals).toHaveLength(1);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
  });

  it.each(['0', 'abc', '-5', '99999'])('CLI: --timeout %s is a usage error (exit 2)', async (value) => {
    let stderr = '';
    const code = await runCli(['verify', 'registry.example/app:v1', '--timeout', value], { stdout: () => undefined, stderr: (t) => void (stderr += t), env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain('--timeout');
  });
});
