import { resolve } from 'node:path';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acrEventsFunction } from '../../functions/acr-events.js';
import { admissionValidateFunction } from '../../functions/admission.js';
import { resetAvailability } from '../../functions/availability.js';
import { gatekeeperVerifyFunction } from '../../functions/gatekeeper.js';
import { healthFunction } from '../../functions/health.js';
import { recheckFunction } from '../../functions/recheck.js';
import { verifyFunction } from '../../functions/verify.js';
import { setServices } from '../../shared/config/index.js';
import { loadReview } from '../unit/admission/reviews.js';

const KEY = 'k'.repeat(40);
const SECRET = 'hunter2secret';

/** The sample policy and store from the environment, as in Azure (no services installed). */
function configure(extra: Record<string, string>): void {
  vi.stubEnv('TRUSTGATE_TRUST_POLICY', resolve('samples/trustpolicy.json'));
  vi.stubEnv('TRUSTGATE_TRUST_STORE', resolve('samples/truststore'));
  vi.stubEnv('TRUSTGATE_LOG_LEVEL', 'error');
  for (const [name, value] of Object.entries(extra)) vi.stubEnv(name, value);
}

const context = () => new InvocationContext({ invocationId: 'test', functionName: 'test', logHandler: () => undefined });
type Http = Extract<typeof verifyFunction, { kind: 'http' }>;
async function call(definition: typeof verifyFunction, body: string, params: Record<string, string> = {}): Promise<HttpResponseInit> {
  const request = new HttpRequest({ method: definition.kind === 'http' && definition.name === 'health' ? 'GET' : 'POST', url: 'http://localhost/api/x', headers: { 'content-type': 'application/json' }, params, body: { string: body } });
  return (definition as Http).handler(request, context());
}
const json = (response: HttpResponseInit) => response.jsonBody as Record<string, unknown>;

beforeEach(() => {
  setServices(undefined);
  resetAvailability();
});
afterEach(() => {
  vi.unstubAllEnvs();
  setServices(undefined);
  resetAvailability();
});

describe('one broken setting disables only the functions that need it', () => {
  it('a wrong admission setting: admission and Gatekeeper answer 503 (naming nothing), verify, acrEvents and recheck keep working', async () => {
    configure({ TRUSTGATE_ADMISSION_KEY: KEY, TRUSTGATE_ADMISSION_MODE: SECRET });
    const admission = await call(admissionValidateFunction, JSON.stringify(loadReview('pod')), { key: KEY });
    expect([admission.status, json(admission)['code']]).toEqual([503, 'ERR_FUNCTION_DISABLED']);
    expect(JSON.stringify(admission.jsonBody)).not.toContain('TRUSTGATE_');
    expect((await call(gatekeeperVerifyFunction, '{}', { key: KEY })).status).toBe(503);
    // verify is served: a malformed request gets its own 400, not a configuration error.
    const verify = await call(verifyFunction, '{"subjects": []}');
    expect([verify.status, json(verify)['code']]).toEqual([400, 'ERR_INVALID_REQUEST']);
    await expect((acrEventsFunction as Extract<typeof acrEventsFunction, { kind: 'eventGrid' }>).handler({ id: 'poison', eventType: 'Microsoft.ContainerRegistry.ImagePushed', data: {} } as never, context())).resolves.not.toThrow();
    await expect((recheckFunction as Extract<typeof recheckFunction, { kind: 'timer' }>).handler({} as never, context())).resolves.not.toThrow();
    const health = await call(healthFunction, '');
    expect(health.status).toBe(503);
    const disabled = json(health)['disabled'] as Array<{ function: string; settings: string[] }>;
    expect(disabled.map((d) => d.function).sort()).toEqual(['admission-mutate', 'admission-validate', 'gatekeeper-mutate', 'gatekeeper-verify']);
    expect(disabled[0]?.settings).toEqual(['TRUSTGATE_ADMISSION_MODE']);
    expect(JSON.stringify(health.jsonBody)).not.toContain(SECRET);
  });

  it('no admission key: health is 503 naming the admission functions and TRUSTGATE_ADMISSION_KEY (they would answer 500)', async () => {
    configure({});
    const health = await call(healthFunction, '');
    expect(health.status).toBe(503);
    expect(json(health)['disabled']).toContainEqual({ function: 'admission-validate', settings: ['TRUSTGATE_ADMISSION_KEY'] });
    expect((await call(admissionValidateFunction, '{}', { key: KEY })).status).toBe(503);
  });

  it('a wrong schedule disables only recheck', async () => {
    configure({ TRUSTGATE_ADMISSION_KEY: KEY, TRUSTGATE_RECHECK_SCHEDULE: 'every 5 minutes' });
    const health = await call(healthFunction, '');
    expect(json(health)['disabled']).toEqual([{ function: 'recheck', settings: ['TRUSTGATE_RECHECK_SCHEDULE'] }]);
    await expect((recheckFunction as Extract<typeof recheckFunction, { kind: 'timer' }>).handler({} as never, context())).rejects.toMatchObject({ code: 'ERR_CONFIG' });
    expect((await call(verifyFunction, '{"subjects": []}')).status).toBe(400);
  });

  it('every setting fine: health 200', async () => {
    configure({ TRUSTGATE_ADMISSION_KEY: KEY });
    const health = await call(healthFunction, '');
    expect([health.status, json(health)['status']]).toEqual([200, 'ok']);
  });

  it('a broken core setting disables every verification function; health names the setting, never the value', async () => {
    configure({ TRUSTGATE_ADMISSION_KEY: KEY, TRUSTGATE_ALLOWED_REGISTRIES: `https://user:${SECRET}@registry.example` });
    const verify = await call(verifyFunction, '{"subjects": ["a/b:c"]}');
    expect([verify.status, json(verify)['settings']]).toEqual([503, ['TRUSTGATE_ALLOWED_REGISTRIES']]);
    await expect((acrEventsFunction as Extract<typeof acrEventsFunction, { kind: 'eventGrid' }>).handler({} as never, context())).rejects.toMatchObject({ code: 'ERR_CONFIG' });
    const health = await call(healthFunction, '');
    expect(health.status).toBe(503);
    expect(JSON.stringify(health.jsonBody)).not.toContain(SECRET);
    expect(json(health)['configuration']).toMatchObject({ loaded: false, error: { setting: 'TRUSTGATE_ALLOWED_REGISTRIES' } });
  });

  it('an unauthenticated caller learns nothing of a broken configuration and never makes the services build', async () => {
    configure({ TRUSTGATE_ADMISSION_KEY: KEY, TRUSTGATE_TRUST_STORE: '/nonexistent/secret-path' });
    const anonymous = await call(admissionValidateFunction, '{}', { key: 'x'.repeat(40) });
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(anonymous.jsonBody)).not.toMatch(/secret-path|TRUSTGATE_/);
    const authenticated = await call(admissionValidateFunction, '{}', { key: KEY });
    expect([authenticated.status, json(authenticated)['settings']]).toEqual([503, ['TRUSTGATE_TRUST_STORE']]);
  });
});

describe('TRUSTGATE_ADMISSION_ENABLED=false: a deployment without admission', () => {
  it('health is green without an admission key, and the four endpoints answer 404 without asking for one', async () => {
    configure({ TRUSTGATE_ADMISSION_ENABLED: 'false' });
    const health = await call(healthFunction, '');
    expect([health.status, json(health)['status']]).toEqual([200, 'ok']);
    const admission = await call(admissionValidateFunction, JSON.stringify(loadReview('pod')), { key: KEY });
    expect([admission.status, json(admission)['code']]).toEqual([404, 'ERR_NOT_FOUND']);
    expect((await call(gatekeeperVerifyFunction, '{}')).status).toBe(404);
  });

  it('without the setting and without a key, health stays red naming the key (the opt-out is explicit)', async () => {
    configure({});
    const health = await call(healthFunction, '');
    expect(health.status).toBe(503);
    expect(JSON.stringify(health.jsonBody)).toContain('TRUSTGATE_ADMISSION_KEY');
  });

  it('a value other than true or false is a broken admission setting, named by health', async () => {
    configure({ TRUSTGATE_ADMISSION_KEY: KEY, TRUSTGATE_ADMISSION_ENABLED: 'no' });
    const health = await call(healthFunction, '');
    expect(health.status).toBe(503);
    const disabled = json(health)['disabled'] as Array<{ function: string; settings: string[] }>;
    expect(disabled[0]?.settings).toEqual(['TRUSTGATE_ADMISSION_ENABLED']);
  });
});
