import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PROVIDER_KEYS, MAX_SUBJECTS_IN_FLIGHT, answerProviderRequest, parseProviderRequest, type ProviderKind, type RatifyResult } from '../../../shared/admission/index.js';
import type { Verdict } from '../../../shared/verdict/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { digestOf, FakeVerificationService } from './fake-verification.js';

const verify: ProviderKind = { kind: 'verify' };
const open = () => new AbortController().signal;
const answer = (keys: unknown[], provider: ProviderKind = verify, service = new FakeVerificationService(), signal = open()) =>
  answerProviderRequest(keys, provider, { service }, { signal });

describe('parseProviderRequest', () => {
  it('returns the keys of a ProviderRequest', () => {
    expect(parseProviderRequest({ apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderRequest', request: { keys: ['a', 'b'] } })).toEqual(['a', 'b']);
  });
  it.each([
    ['wrong apiVersion', { apiVersion: 'externaldata.gatekeeper.sh/v1alpha1', kind: 'ProviderRequest', request: { keys: [] } }],
    ['wrong kind', { apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderResponse', request: { keys: [] } }],
    ['no keys', { apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderRequest', request: {} }],
    ['keys not a list', { apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderRequest', request: { keys: 'a' } }],
    ['null', null],
  ])('refuses %s', async (_why, body) => {
    await expectAppError(() => parseProviderRequest(body), 'ERR_GATEKEEPER_INVALID_REQUEST', 'invalid-input');
  });
});

describe('answerProviderRequest — verify', () => {
  it('answers a mixed batch with exactly one item per key, in order', async () => {
    const keys = [
      'registry.test/team/web:1.0',
      'registry.test/team/web:1.0',
      '[default]registry.test/team/web:1.0',
      '[shop]registry.test/team/unsigned:1',
      'registry.test/team/flaky:1',
      'registry.test/team/boom:1',
      'Not A Reference',
      '',
      42,
    ];
    const service = new FakeVerificationService();
    const { apiVersion, kind, response } = await answer(keys, verify, service);
    expect({ apiVersion, kind }).toEqual({ apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderResponse' });
    expect(response.systemError).toBe('');
    expect(response.idempotent).toBe(true);
    expect(response.items.map((item) => item.key)).toEqual(['registry.test/team/web:1.0', 'registry.test/team/web:1.0', '[default]registry.test/team/web:1.0', '[shop]registry.test/team/unsigned:1', 'registry.test/team/flaky:1', 'registry.test/team/boom:1', 'Not A Reference', '', '42']);
    const [web, again, prefixed, unsigned, flaky, boom, malformed, empty, numeric] = response.items;
    expect((web?.value as RatifyResult).isSuccess).toBe(true);
    expect(again?.value).toEqual(web?.value);
    expect(prefixed?.value).toEqual(web?.value);
    expect(service.calls.filter((call) => call === 'registry.test/team/web:1.0')).toHaveLength(1);
    expect(unsigned).toMatchObject({ value: { isSuccess: false, verifierReports: [{ isSuccess: false, message: expect.stringContaining('ERR_NO_SIGNATURE') }] } });
    expect(flaky).toEqual({ key: 'registry.test/team/flaky:1', error: 'ERR_REGISTRY_UNAVAILABLE: registry answered 503' });
    expect(boom?.error).toMatch(/^ERR_ADMISSION_VERIFY_FAILED/);
    for (const item of [malformed, empty, numeric]) expect(item?.error).toMatch(/^ERR_INVALID_REFERENCE/);
  });

  it('shapes a success like Ratify: isSuccess plus a notation report with Issuer and SN', async () => {
    const { response } = await answer(['registry.test/team/web:1.0']);
    expect(response.items[0]?.value).toMatchObject({
      isSuccess: true,
      verifierReports: [
        {
          subject: `registry.test/team/web:1.0@${digestOf('registry.test/team/web:1.0')}`,
          isSuccess: true,
          name: 'trustgate-notation',
          artifactType: 'application/vnd.cncf.notary.signature',
          extensions: { Issuer: 'CN=Team CA,O=Team', SN: 'CN=signer,O=Team' },
        },
      ],
      trustgate: { decision: 'allow', digest: digestOf('registry.test/team/web:1.0') },
    });
  });

  it('reports each failing signature of a denied image', async () => {
    const { response } = await answer(['registry.test/team/untrusted:1']);
    expect(response.items[0]?.value).toMatchObject({ isSuccess: false, verifierReports: [{ isSuccess: false, message: expect.stringContaining('ERR_UNTRUSTED_SIGNER') }] });
  });

  it('gives every pending key an error item at the deadline', async () => {
    const controller = new AbortController();
    const pending = answer(['registry.test/a/slow:1', 'registry.test/a/web:1', 'registry.test/b/slow:2'], verify, new FakeVerificationService(), controller.signal);
    setTimeout(() => controller.abort(new DOMException('deadline', 'TimeoutError')), 5);
    const { response } = await pending;
    expect(response.items.map((item) => item.error?.split(':')[0] ?? 'value')).toEqual(['ERR_ADMISSION_DEADLINE', 'value', 'ERR_ADMISSION_DEADLINE']);
  });

  it('caps the keys it verifies, still answering the ones over the cap', async () => {
    const keys = Array.from({ length: 1_005 }, (_, i) => `registry.test/a/i${i}:1`);
    const service = new FakeVerificationService();
    const { response } = await answer(keys, verify, service);
    expect(response.items).toHaveLength(1_005);
    expect(service.calls).toHaveLength(MAX_PROVIDER_KEYS);
    expect(response.items[MAX_PROVIDER_KEYS]?.error).toMatch(/^ERR_GATEKEEPER_TOO_MANY_KEYS/);
    expect(response.items[1_004]?.error).toMatch(/^ERR_GATEKEEPER_TOO_MANY_KEYS/);
  });

  it('verifies at most MAX_SUBJECTS_IN_FLIGHT keys at once (finding 9: 1,000 keys started 1,000 verifications)', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `registry.test/a/i${i}:1`);
    let inFlight = 0;
    let peak = 0;
    const inner = new FakeVerificationService();
    const service = {
      verify: async (...args: Parameters<FakeVerificationService['verify']>) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        try {
          return await inner.verify(...args);
        } finally {
          inFlight--;
        }
      },
    };
    const { response } = await answer(keys, verify, service as unknown as FakeVerificationService);
    expect(response.items.every((item) => item.value !== undefined)).toBe(true);
    expect(peak).toBe(MAX_SUBJECTS_IN_FLIGHT);
  });

  it('a service error that escapes verifyImages still yields an item per key, plus systemError', async () => {
    const hostileVerdict = {
      subject: { reference: 'x', digest: digestOf('x') },
      decision: 'allow',
      reasons: [],
      verifiedAt: '',
      expiresAt: '',
      get evidence(): never {
        throw new Error('hostile verdict');
      },
    };
    const service = { verify: () => Promise.resolve(hostileVerdict as unknown as Verdict) };
    const { response } = await answerProviderRequest(['registry.test/a:1', 'registry.test/b:1'], verify, { service }, { signal: open() });
    expect(response.items.map((item) => item.key)).toEqual(['registry.test/a:1', 'registry.test/b:1']);
    expect(response.items.every((item) => item.error !== undefined && item.value === undefined)).toBe(true);
    expect(response.systemError).toMatch(/^ERR_INTERNAL/);
  });

  it('survives a key whose serialisation throws', async () => {
    const hostile = { toJSON: () => { throw new Error('no'); } };
    const { response } = await answer([hostile, 'registry.test/a:1']);
    expect(response.items.map((item) => item.key)).toEqual(['[unprintable key]', 'registry.test/a:1']);
  });

  it('property: whatever the keys, one item per key with the same key, in order', async () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom('registry.test/a/web:1', '[ns]registry.test/a/web:1', 'registry.test/a/unsigned:1', 'registry.test/a/flaky:1', 'registry.test/a/boom:1', '[]', '[x]'),
      fc.integer(),
      fc.constant(null),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(key, { maxLength: 20 }), async (keys) => {
        const { response } = await answer(keys);
        expect(response.items).toHaveLength(keys.length);
        response.items.forEach((item, i) => {
          expect(item.key).toBe(typeof keys[i] === 'string' ? keys[i] : JSON.stringify(keys[i]));
          expect((item.value === undefined) !== (item.error === undefined)).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('answerProviderRequest — mutate', () => {
  it.each([
    ['tag-digest' as const, 'registry.test/team/web:1.0', `registry.test/team/web:1.0@${digestOf('registry.test/team/web:1.0')}`],
    ['digest' as const, 'registry.test/team/web:1.0', `registry.test/team/web@${digestOf('registry.test/team/web:1.0')}`],
    ['digest' as const, 'localhost:5000/web', `localhost:5000/web@${digestOf('localhost:5000/web')}`],
    ['tag-digest' as const, '[default]nginx:1.27', `nginx:1.27@${digestOf('nginx:1.27')}`],
  ])('%s mode pins %s', async (pinMode, key, pinned) => {
    const { response } = await answer([key], { kind: 'mutate', pinMode });
    expect(response.items).toEqual([{ key, value: pinned }]);
  });

  it.each(['registry.test/team/unsigned:1', 'registry.test/team/flaky:1', 'registry.test/Bad:1'])('answers %s with an error, never a value', async (key) => {
    const { response } = await answer([key], { kind: 'mutate', pinMode: 'tag-digest' });
    expect(response.items).toEqual([{ key, error: expect.stringMatching(/^ERR_/) }]);
  });
});
