import { describe, expect, it } from 'vitest';
import { makeGatekeeperHandler, gatekeeperMutateFunction, gatekeeperVerifyFunction } from '../../functions/gatekeeper.js';
import type { AdmissionSettings, ProviderResponse, RatifyResult } from '../../shared/admission/index.js';
import { fixedClock } from '../../shared/core/index.js';
import { PKI_NOW } from '../helpers/pki/index.js';
import { digestOf, FakeVerificationService } from '../unit/admission/fake-verification.js';
import { bodyOf, context, webhookRequest } from '../unit/admission/webhook-request.js';

const KEY = 'gk-0123456789abcdef0123456789abcdef';
const providerRequest = (keys: unknown[]) => JSON.stringify({ apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderRequest', request: { keys } });
const build = (kind: 'verify' | 'mutate', settings: AdmissionSettings = { pathKey: KEY }, service = new FakeVerificationService()) =>
  makeGatekeeperHandler({ verification: service, settings, clock: fixedClock(PKI_NOW) }, kind);
const call = async (handler: ReturnType<typeof build>, body: string, key: string | null = KEY, kind = 'verify') =>
  handler(webhookRequest(`v1/gatekeeper/${kind}`, body, key === null ? {} : { key }), context(`gatekeeper-${kind}`));

describe('POST /api/v1/gatekeeper/verify', () => {
  it('answers a batch with duplicates, Ratify prefixes, malformed references and a failing service: one item per key', async () => {
    const keys = [
      'registry.test/team/web:1.0',
      '[default]registry.test/team/web:1.0',
      'registry.test/team/web:1.0',
      'registry.test/team/unsigned:1',
      'registry.test/team/boom:1',
      'registry.test/team/flaky:1',
      'registry.test/UPPER:1',
      '::::',
    ];
    const service = new FakeVerificationService();
    const response = await call(build('verify', { pathKey: KEY }, service), providerRequest(keys));
    expect(response.status).toBe(200);
    const body = bodyOf<ProviderResponse>(response);
    expect(body).toMatchObject({ apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderResponse', response: { idempotent: true, systemError: '' } });
    expect(body.response.items.map((item) => item.key)).toEqual(keys);
    const outcome = body.response.items.map((item) => (item.error ? item.error.split(':')[0] : (item.value as RatifyResult).isSuccess));
    expect(outcome).toEqual([true, true, true, false, 'ERR_ADMISSION_VERIFY_FAILED', 'ERR_REGISTRY_UNAVAILABLE', 'ERR_INVALID_REFERENCE', 'ERR_INVALID_REFERENCE']);
    expect(service.calls.filter((c) => c === 'registry.test/team/web:1.0')).toHaveLength(1);
  });

  it('answers every key before its deadline even when the service hangs', async () => {
    const handler = build('verify', { pathKey: KEY, gatekeeperDeadlineMs: 50 });
    const body = bodyOf<ProviderResponse>(await call(handler, providerRequest(['registry.test/a/slow:1', 'registry.test/a/web:1'])));
    expect(body.response.items).toEqual([
      { key: 'registry.test/a/slow:1', error: expect.stringMatching(/^ERR_ADMISSION_DEADLINE/) },
      { key: 'registry.test/a/web:1', value: expect.objectContaining({ isSuccess: true }) },
    ]);
  });

  it.each([
    ['not JSON', '{', 400, 'ERR_INVALID_JSON'],
    ['not a ProviderRequest', JSON.stringify({ keys: ['a'] }), 400, 'ERR_GATEKEEPER_INVALID_REQUEST'],
  ])('refuses %s with %d %s', async (_why, body, status, code) => {
    const response = await call(build('verify'), body);
    expect(response.status).toBe(status);
    expect(bodyOf(response)).toMatchObject({ code });
  });

  it.each([
    ['no key', null],
    ['a wrong key', 'gk-wrong-0123456789abcdef0123456789'],
  ])('answers 401 to %s', async (_why, key) => {
    const response = await call(build('verify'), providerRequest(['registry.test/a:1']), key);
    expect(response.status).toBe(401);
    expect(bodyOf(response)).toMatchObject({ code: 'ERR_UNAUTHORIZED' });
  });

  it('is registered anonymous with the key as an optional last segment', () => {
    expect(gatekeeperVerifyFunction).toMatchObject({ authLevel: 'anonymous', route: 'v1/gatekeeper/verify/{key?}', methods: ['POST'] });
    expect(gatekeeperMutateFunction).toMatchObject({ authLevel: 'anonymous', route: 'v1/gatekeeper/mutate/{key?}', methods: ['POST'] });
  });
});

describe('POST /api/v1/gatekeeper/mutate', () => {
  it('returns the digest-pinned reference for verified keys and an error for the rest', async () => {
    const handler = build('mutate', { pathKey: KEY, pinMode: 'tag-digest' });
    const keys = ['registry.test/team/web:1.0', 'registry.test/team/unsigned:1', 'nope nope'];
    const body = bodyOf<ProviderResponse>(await call(handler, providerRequest(keys), KEY, 'mutate'));
    expect(body.response.items).toEqual([
      { key: 'registry.test/team/web:1.0', value: `registry.test/team/web:1.0@${digestOf('registry.test/team/web:1.0')}` },
      { key: 'registry.test/team/unsigned:1', error: expect.stringMatching(/^ERR_NO_SIGNATURE/) },
      { key: 'nope nope', error: expect.stringMatching(/^ERR_INVALID_REFERENCE/) },
    ]);
  });
});
