import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryClient, staticCredentials } from '../../../shared/oci/index.js';
import type { Descriptor } from '../../../shared/oci/index.js';
import { ManualClock } from '../../../shared/core/index.js';
import type { FetchLike } from '../../../shared/core/index.js';
import { parseRetryAfter } from '../../../shared/oci/transport.js';
import { startFakeRegistry } from '../../fakes/registry/index.js';
import type { FakeRegistry } from '../../fakes/registry/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { clientFor, storeImage } from './setup.js';

describe('transport: retries, rate limits, timeouts', () => {
  let fake: FakeRegistry;
  let image: Descriptor;
  let repo: string;

  beforeEach(async () => {
    fake = await startFakeRegistry();
    image = storeImage(fake, 'team/app', 'v1');
    repo = `${fake.host}/team/app`;
  });
  afterEach(async () => fake.stop());

  it('retries 5xx with doubling backoff and succeeds', async () => {
    fake.faults.failures.push({ status: 503, count: 2 });
    const { client, sleeps } = clientFor(fake, { retries: 2, backoffMs: 100 });
    expect(await client.resolve(`${repo}:v1`)).toEqual(image);
    expect(sleeps).toEqual([100, 200]);
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after the retry budget with an inconclusive error carrying status and OCI codes', async () => {
    fake.faults.failures.push({ status: 500, count: 10, body: JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'boom' }] }) });
    const { client } = clientFor(fake, { retries: 2 });
    const error = await expectAppError(client.fetchManifest(repo, image), 'ERR_REGISTRY_UNAVAILABLE', 'inconclusive');
    expect(error).toMatchObject({ status: 500, ociErrors: [{ code: 'UNKNOWN', message: 'boom' }] });
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry 501 or 4xx', async () => {
    fake.faults.failures.push({ status: 501, count: 1 }, { status: 400, count: 1 });
    const { client, sleeps } = clientFor(fake, { retries: 3 });
    await expectAppError(client.fetchManifest(repo, image), 'ERR_REGISTRY_UNAVAILABLE', 'inconclusive');
    await expectAppError(client.fetchManifest(repo, image), 'ERR_REGISTRY_HTTP', 'inconclusive');
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['seconds within the cap', '2', [2000], 'ok'],
    ['zero seconds', '0', [0], 'ok'],
    ['no header: plain backoff', undefined, [100], 'ok'],
    ['longer than the cap: fail at once', '3600', [], 'ERR_REGISTRY_RATE_LIMITED'],
    ['garbage: fail at once', 'soon', [], 'ERR_REGISTRY_RATE_LIMITED'],
  ])('429 with Retry-After %s', async (_what, retryAfter, expectedSleeps, outcome) => {
    fake.faults.failures.push({ status: 429, count: 1, ...(retryAfter === undefined ? {} : { headers: { 'retry-after': retryAfter } }) });
    const { client, sleeps } = clientFor(fake, { retries: 2, backoffMs: 100, maxRetryAfterMs: 5000 });
    if (outcome === 'ok') expect(await client.resolve(`${repo}:v1`)).toEqual(image);
    else await expectAppError(client.resolve(`${repo}:v1`), outcome, 'inconclusive');
    expect(sleeps).toEqual(expectedSleeps);
  });

  it('a 429 that persists past the retry budget is inconclusive', async () => {
    fake.faults.failures.push({ status: 429, count: 5, headers: { 'retry-after': '1' } });
    const { client, sleeps } = clientFor(fake, { retries: 1 });
    await expectAppError(client.resolve(`${repo}:v1`), 'ERR_REGISTRY_RATE_LIMITED', 'inconclusive');
    expect(sleeps).toEqual([1000]);
  });

  it('times out a slow answer and a stalled body', async () => {
    fake.faults.delay = { ms: 2000, match: /^HEAD / };
    const { client } = clientFor(fake, { retries: 0, timeoutMs: 100 });
    await expectAppError(client.resolve(`${repo}:v1`), 'ERR_REGISTRY_TIMEOUT', 'inconclusive');
    fake.faults.stallBody = { match: /manifests/ };
    await expectAppError(client.fetchManifest(repo, image), 'ERR_REGISTRY_TIMEOUT', 'inconclusive');
  });

  it('honours the caller signal', async () => {
    fake.faults.delay = { ms: 2000 };
    const { client } = clientFor(fake, { retries: 0 });
    const controller = new AbortController();
    const pending = client.resolve(`${repo}:v1`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expectAppError(pending, 'ERR_REGISTRY_ABORTED', 'inconclusive');
  });

  it('retries connection errors, then reports them as inconclusive', async () => {
    let calls = 0;
    const failing: FetchLike = async () => {
      calls++;
      throw new TypeError('fetch failed');
    };
    const sleeps: number[] = [];
    const client = new RegistryClient({ fetch: failing, resolveHost: false, retries: 2, backoffMs: 10, sleep: async (ms) => void sleeps.push(ms) });
    await expectAppError(client.resolve('registry.example/app:v1'), 'ERR_REGISTRY_CONNECTION', 'inconclusive');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([10, 20]);
  });

  it('uses https unless the registry is listed as plain http', async () => {
    const urls: string[] = [];
    const recording: FetchLike = async (input) => (urls.push(String(input)), new Response(null, { status: 404 }));
    const client = new RegistryClient({ fetch: recording, resolveHost: false, retries: 0, plainHttp: ['insecure.example:5000'] });
    await expectAppError(client.fetchManifest('secure.example/app', image.digest), 'ERR_MANIFEST_NOT_FOUND', 'inconclusive');
    await expectAppError(client.fetchManifest('insecure.example:5000/app', image.digest), 'ERR_MANIFEST_NOT_FOUND');
    await expectAppError(client.fetchManifest('nginx', image.digest), 'ERR_MANIFEST_NOT_FOUND');
    expect(urls.map((u) => new URL(u).origin)).toEqual(['https://secure.example', 'http://insecure.example:5000', 'https://registry-1.docker.io']);
  });
});

describe('transport: redirects', () => {
  let fake: FakeRegistry;
  beforeEach(async () => {
    fake = await startFakeRegistry({ auth: 'basic', credentials: { username: 'u', password: 'p' } });
  });
  afterEach(async () => fake.stop());

  it('follows a blob redirect to another origin without the Authorization header', async () => {
    const blob = fake.putBlob('team/app', 'signature envelope');
    fake.faults.redirectBlobs = true;
    const credentials = staticCredentials({ [fake.host]: { kind: 'basic', username: 'u', password: 'p' } });
    // The fake's storage is on loopback: a redirect target must be public unless the operator lists it as storage.
    const { client } = clientFor(fake, { credentials, storageHosts: (host) => host === new URL(fake.storageUrl).host });
    expect((await client.fetchBlob(`${fake.host}/team/app`, blob)).toString()).toBe('signature envelope');
    expect(fake.requests.at(-1)?.authorization).toMatch(/^Basic /);
    expect(fake.storageRequests).toHaveLength(1);
    expect(fake.storageRequests[0]?.authorization).toBeUndefined();
  });

  it.each([
    ['an endless redirect loop', 'loop', 'ERR_TOO_MANY_REDIRECTS'],
    ['a redirect to a non-http scheme', 'file:///etc/passwd', 'ERR_REDIRECT_REFUSED'],
    ['a redirect to the metadata service', 'https://169.254.169.254/latest/meta-data/', 'ERR_REDIRECT_REFUSED'],
  ])('refuses %s', async (_what, location, code) => {
    const target = location === 'loop' ? undefined : location;
    const redirecting: FetchLike = async (input) => new Response(null, { status: 302, headers: { location: target ?? `${String(input)}x` } });
    const client = new RegistryClient({ fetch: redirecting, resolveHost: false, retries: 0, maxRedirects: 3 });
    await expectAppError(client.fetchBlob('registry.example/app', { mediaType: 'x', digest: `sha256:${'1'.repeat(64)}`, size: 1 }), code);
  });

  it('refuses an https → http downgrade to an unlisted host', async () => {
    const redirecting: FetchLike = async () => new Response(null, { status: 307, headers: { location: 'http://storage.example/blob' } });
    const client = new RegistryClient({ fetch: redirecting, resolveHost: false, retries: 0 });
    await expectAppError(client.fetchBlob('registry.example/app', { mediaType: 'x', digest: `sha256:${'1'.repeat(64)}`, size: 1 }), 'ERR_REDIRECT_REFUSED', 'inconclusive');
  });
});

describe('parseRetryAfter', () => {
  const now = new ManualClock('2026-01-01T00:00:00Z').now();
  it.each([
    ['5', 5000],
    [' 0 ', 0],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['-1', undefined],
    ['1.5', undefined],
    ['tomorrow', undefined],
  ])('%j → %s ms', (header, expected) => expect(parseRetryAfter(header, now)).toBe(expected));
});
