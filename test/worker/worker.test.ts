import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, entryPoints } from './build-app.js';
import { FakeCore, type RpcTypedData } from './fake-core.js';

// The built app loaded as the Azure Functions Node worker loads it: @azure/functions-core injected, package.json `main`
// resolved, each entry point import()ed natively (ESM); then every function invoked through @azure/functions' own
// invocation model (RPC input → HttpRequest/InvocationContext → handler → RPC response).
const ROOT = new URL('../../', import.meta.url).pathname;
const KEY = 'wk-0123456789abcdef0123456789abcdef';

const core = new FakeCore();
let appRoot: string;

beforeAll(async () => {
  appRoot = buildApp();
  Object.assign(process.env, {
    TRUSTGATE_TRUST_POLICY: join(ROOT, 'samples/trustpolicy.json'),
    TRUSTGATE_TRUST_STORE: join(ROOT, 'samples/truststore'),
    TRUSTGATE_ADMISSION_KEY: KEY,
    TRUSTGATE_ALLOWED_REGISTRIES: 'registry.test',
    TRUSTGATE_LOG_LEVEL: 'debug',
  });
  core.install();
  // ESM import() of each entry point (vitest runs the app's own modules; @azure/functions, a dependency, loads natively).
  for (const file of entryPoints(appRoot)) await import(/* @vite-ignore */ pathToFileURL(file).href);
  await core.programmingModel?.getCapabilities({});
}, 120_000);

afterAll(() => core.uninstall());

const trigger = (name: string) => Object.entries(core.functions.get(name)?.metadata.bindings ?? {}).find(([, b]) => b.direction === 'in');

describe('registration through @azure/functions-core', () => {
  it('resolves package.json main to the built entry point and sets the @azure/functions programming model', () => {
    expect(entryPoints(appRoot)).toEqual([join(appRoot, 'dist/functions/index.js')]);
    expect(core.programmingModel?.name).toBe('@azure/functions');
    expect(core.hooks).toEqual([]);
  });

  it('registers every function with its trigger, route, methods and auth level', () => {
    const summary = [...core.functions.values()].map(({ metadata }) => {
      const [, binding] = Object.entries(metadata.bindings).find(([, b]) => b.direction === 'in') ?? [];
      return { name: metadata.name, type: binding?.type, route: binding?.route, methods: binding?.methods, authLevel: binding?.authLevel, schedule: binding?.schedule };
    });
    const http = (name: string, methods: string[], authLevel: string, route: string) => ({ name, type: 'httpTrigger', route, methods, authLevel, schedule: undefined });
    expect(summary).toEqual([
      http('verify', ['POST'], 'function', 'v1/verify'),
      http('health', ['GET'], 'anonymous', 'health'),
      http('openapi', ['GET'], 'anonymous', 'openapi.json'),
      http('admission-validate', ['POST'], 'anonymous', 'v1/admission/validate/{key?}'),
      http('admission-mutate', ['POST'], 'anonymous', 'v1/admission/mutate/{key?}'),
      http('gatekeeper-verify', ['POST'], 'anonymous', 'v1/gatekeeper/verify/{key?}'),
      http('gatekeeper-mutate', ['POST'], 'anonymous', 'v1/gatekeeper/mutate/{key?}'),
      http('verdicts', ['GET'], 'function', 'v1/verdicts'),
      { name: 'acrEvents', type: 'eventGridTrigger', route: undefined, methods: undefined, authLevel: undefined, schedule: undefined },
      { name: 'recheck', type: 'timerTrigger', route: undefined, methods: undefined, authLevel: undefined, schedule: '0 */15 * * * *' },
    ]);
    for (const { metadata } of core.functions.values()) {
      if (trigger(metadata.name)?.[1].type === 'httpTrigger') expect(metadata.bindings.$return).toMatchObject({ type: 'http', direction: 'out' });
    }
  });
});

/** An HTTP invocation as the host sends it over RPC. */
async function http(name: string, method: string, path: string, body?: unknown, params: Record<string, string> = {}) {
  const [bindingName] = trigger(name) ?? [];
  const data: RpcTypedData = {
    http: {
      method, url: `https://trustgate.example/api/${path}`, headers: { 'content-type': 'application/json' }, query: {}, params,
      ...(body === undefined ? {} : { body: { string: typeof body === 'string' ? body : JSON.stringify(body) } }),
    },
  };
  const { response, invocationId } = await core.invoke(name, [{ name: bindingName ?? '', data }]);
  const rpc = response.returnValue?.http as { statusCode: string; body?: { bytes?: Uint8Array; string?: string } } | undefined;
  const text = rpc?.body?.bytes ? Buffer.from(rpc.body.bytes).toString('utf8') : rpc?.body?.string ?? '';
  return { status: Number(rpc?.statusCode), json: text === '' ? undefined : (JSON.parse(text) as Record<string, any>), invocationId }; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies
}

const review = (kind: string, object: unknown) => ({
  apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
  request: { uid: '00000000-0000-4000-8000-000000000001', kind: { group: '', version: 'v1', kind }, resource: { group: '', version: 'v1', resource: 'configmaps' }, operation: 'CREATE', namespace: 'shop', object },
});
const configMap = review('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: {} });
const providerRequest = { apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderRequest', request: { keys: [] } };

describe('invocation through the library invocation model', () => {
  it('health answers 200 with the configuration loaded', async () => {
    const { status, json } = await http('health', 'GET', 'health');
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: 'ok', configuration: { loaded: true } });
  });

  it('openapi serves the API description', async () => {
    const { status, json } = await http('openapi', 'GET', 'openapi.json');
    expect(status).toBe(200);
    expect(json?.openapi).toMatch(/^3\./);
  });

  it('verify refuses a body that is not JSON with a problem document', async () => {
    const { status, json } = await http('verify', 'POST', 'v1/verify', '{');
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: 'ERR_INVALID_JSON' });
  });

  it('verdicts answers without a reference with a 400 problem document', async () => {
    const { status, json } = await http('verdicts', 'GET', 'v1/verdicts');
    expect(status).toBe(400);
    expect(json?.code).toMatch(/^ERR_/);
  });

  it.each([['admission-validate', 'v1/admission/validate'], ['admission-mutate', 'v1/admission/mutate']])('%s admits an object without images, with the key from the route', async (name, path) => {
    const { status, json } = await http(name, 'POST', `${path}/${KEY}`, configMap, { key: KEY });
    expect(status).toBe(200);
    expect(json?.response).toMatchObject({ uid: configMap.request.uid, allowed: true });
    const unauthorized = await http(name, 'POST', path, configMap);
    expect(unauthorized.status).toBe(401);
  });

  it.each([['gatekeeper-verify', 'v1/gatekeeper/verify'], ['gatekeeper-mutate', 'v1/gatekeeper/mutate']])('%s answers a ProviderRequest', async (name, path) => {
    const { status, json } = await http(name, 'POST', `${path}/${KEY}`, providerRequest, { key: KEY });
    expect(status).toBe(200);
    expect(json).toMatchObject({ kind: 'ProviderResponse', response: { items: [], systemError: '' } });
  });

  it('acrEvents takes an Event Grid event (a delete from a registry outside the allowlist) and completes', async () => {
    const event = {
      id: 'e1', topic: '/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerRegistry/registries/other', subject: 'team/web:1',
      eventType: 'Microsoft.ContainerRegistry.ImageDeleted', eventTime: '2026-11-30T00:00:00Z', dataVersion: '1.0', metadataVersion: '1',
      data: { target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'a'.repeat(64)}`, repository: 'team/web' }, request: { host: 'other.azurecr.io' } },
    };
    const [bindingName] = trigger('acrEvents') ?? [];
    const { response } = await core.invoke('acrEvents', [{ name: bindingName ?? '', data: { json: JSON.stringify(event) } }]);
    expect(response.returnValue ?? undefined).toBeUndefined();
  });

  it('recheck runs on its timer input and completes', async () => {
    const timer = { Schedule: { AdjustForDST: true }, ScheduleStatus: null, IsPastDue: false };
    const [bindingName] = trigger('recheck') ?? [];
    const { inputs } = await core.invoke('recheck', [{ name: bindingName ?? '', data: { json: JSON.stringify(timer) } }]);
    expect(inputs[0]).toMatchObject({ isPastDue: false });
  });
});

describe('logs through the invocation context', () => {
  it('reach the host with their severity and the invocation id, not as console text', async () => {
    const { status, invocationId } = await http('admission-validate', 'POST', 'v1/admission/validate', configMap);
    expect(status).toBe(401);
    const lines = core.logs.filter((log) => log.invocationId === invocationId);
    expect(lines).toContainEqual({ level: 'warning', category: 'user', invocationId, message: expect.stringMatching(/^admission\.unauthorized \{"event":"admission\.unauthorized",.*"problem":"missing"/) });
    const health = core.logs.find((log) => log.message.startsWith('truststore.loaded '));
    expect(health).toMatchObject({ level: 'debug', category: 'user', invocationId: expect.stringMatching(/^inv-health-/) });
  });
});
