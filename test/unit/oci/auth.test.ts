import { afterEach, describe, expect, it } from 'vitest';
import type { DefaultAzureCredential } from '@azure/identity';
import { ManualClock } from '../../../shared/core/index.js';
import { staticCredentials } from '../../../shared/oci/index.js';
import type { AadTokenProvider, RegistryClientOptions } from '../../../shared/oci/index.js';
import { startFakeRegistry } from '../../fakes/registry/index.js';
import type { FakeRegistry, FakeRegistryOptions } from '../../fakes/registry/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { clientFor, storeImage } from './setup.js';

const USER = { username: 'alice', password: 's3cret' };

describe('registry auth (fake registry)', () => {
  let fake: FakeRegistry;
  afterEach(async () => fake?.stop());

  async function setup(options: FakeRegistryOptions, client: RegistryClientOptions = {}) {
    fake = await startFakeRegistry(options);
    storeImage(fake, 'team/app', 'v1');
    storeImage(fake, 'team/other', 'v1');
    const clock = new ManualClock('2026-06-01T00:00:00Z');
    return { clock, ...clientFor(fake, { clock, ...client }) };
  }
  const basic = () => staticCredentials({ [fake.host]: { kind: 'basic', ...USER } });

  it('answers a Basic challenge with configured credentials, then authorizes up front', async () => {
    const { client } = await setup({ auth: 'basic', credentials: USER }, { credentials: staticCredentials({}) });
    await expectAppError(client.resolve(`${fake.host}/team/app:v1`), 'ERR_REGISTRY_UNAUTHORIZED', 'inconclusive');
    const withCreds = clientFor(fake, { credentials: basic() }).client;
    await withCreds.resolve(`${fake.host}/team/app:v1`);
    await withCreds.resolve(`${fake.host}/team/app:v1`);
    expect(fake.requests.slice(1).map((r) => r.authorization?.split(' ')[0] ?? 'none')).toEqual(['none', 'Basic', 'Basic']);
  });

  it('wrong Basic credentials are ERR_REGISTRY_UNAUTHORIZED with the 401 status', async () => {
    const { client } = await setup({ auth: 'basic', credentials: USER }, { credentials: staticCredentials({ [fake.host]: { kind: 'basic', username: 'alice', password: 'wrong' } }) });
    const error = await expectAppError(client.resolve(`${fake.host}/team/app:v1`), 'ERR_REGISTRY_UNAUTHORIZED', 'inconclusive');
    expect(error).toMatchObject({ status: 401 });
  });

  it('gets an anonymous bearer token for the repository scope and caches it per scope', async () => {
    const { client } = await setup({ auth: 'token' });
    await client.resolve(`${fake.host}/team/app:v1`);
    await client.resolve(`${fake.host}/team/app:v1`);
    await client.resolve(`${fake.host}/team/other:v1`);
    expect(fake.tokenRequests.map((t) => [t.method, t.scope, t.authorization ?? 'anonymous'])).toEqual([
      ['GET', 'repository:team/app:pull', 'anonymous'],
      ['GET', 'repository:team/other:pull', 'anonymous'],
    ]);
    // The second repository is authorized up front: the challenge is remembered per registry.
    expect(fake.requests.filter((r) => !r.authorization)).toHaveLength(1);
  });

  it('sends Basic credentials to the token realm with GET', async () => {
    const { client } = await setup({ auth: 'token', credentials: USER }, { credentials: staticCredentials({}) });
    await expectAppError(client.resolve(`${fake.host}/team/app:v1`), 'ERR_TOKEN_REQUEST', 'inconclusive');
    const authed = clientFor(fake, { credentials: basic() }).client;
    await authed.resolve(`${fake.host}/team/app:v1`);
    expect(fake.tokenRequests.at(-1)).toMatchObject({ method: 'GET', authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` });
  });

  it('uses a refresh token (Docker identitytoken) with POST', async () => {
    fake = await startFakeRegistry({ auth: 'token', credentials: USER });
    storeImage(fake, 'team/app', 'v1');
    const refreshToken = fake.auth.issueRefreshToken();
    const { client } = clientFor(fake, { credentials: staticCredentials({ [fake.host]: { kind: 'refresh-token', refreshToken } }) });
    await client.resolve(`${fake.host}/team/app:v1`);
    expect(fake.tokenRequests).toEqual([expect.objectContaining({ method: 'POST', grantType: 'refresh_token', refreshToken, scope: 'repository:team/app:pull' })]);
  });

  it.each([
    ['a cold client (every request meets the 401 first)', false],
    ['a client that already knows the challenge', true],
  ])('merges concurrent token fetches for the same scope into one request: %s', async (_what, warm) => {
    const { client } = await setup({ auth: 'token' });
    if (warm) await client.resolve(`${fake.host}/team/other:v1`);
    fake.tokenRequests.length = 0;
    await Promise.all(Array.from({ length: 8 }, () => client.resolve(`${fake.host}/team/app:v1`)));
    expect(fake.tokenRequests).toHaveLength(1);
  });

  it('refetches a token once the clock passes its expiry (minus the margin), not before', async () => {
    const { client, clock } = await setup({ auth: 'token', tokenExpiresIn: 300 });
    await client.resolve(`${fake.host}/team/app:v1`);
    clock.advance(285_000);
    await client.resolve(`${fake.host}/team/app:v1`);
    expect(fake.tokenRequests).toHaveLength(1);
    clock.advance(10_000);
    await client.resolve(`${fake.host}/team/app:v1`);
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('drops a token the registry stops accepting and fetches a new one', async () => {
    const { client } = await setup({ auth: 'token' });
    await client.resolve(`${fake.host}/team/app:v1`);
    fake.auth.revokeTokens();
    await client.resolve(`${fake.host}/team/app:v1`);
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it.each([
    ['garbage', 'Bearer ,,,'],
    ['a realm that is not a URL', 'Bearer realm="token-server",service="x"'],
    ['an unknown scheme', 'Negotiate abc'],
  ])('a malformed WWW-Authenticate (%s) is ERR_AUTH_CHALLENGE', async (_what, header) => {
    const { client } = await setup({ auth: 'token' });
    fake.auth.challengeOverride = header;
    await expectAppError(client.resolve(`${fake.host}/team/app:v1`), 'ERR_AUTH_CHALLENGE', 'inconclusive');
  });

  it('refuses a plain-http token realm that is not listed as insecure', async () => {
    const { client } = await setup({ auth: 'token' }, { plainHttp: (host) => host === fake.host });
    fake.auth.challengeOverride = 'Bearer realm="http://tokens.example/token",service="x"';
    await expectAppError(client.resolve(`${fake.host}/team/app:v1`), 'ERR_AUTH_CHALLENGE', 'inconclusive');
    expect(fake.tokenRequests).toEqual([]);
  });

  describe('ACR with Entra ID', () => {
    const aad = (calls: string[][]): AadTokenProvider => ({
      getToken: async (scopes) => (calls.push([scopes].flat()), { token: 'aad-token', expiresOnTimestamp: Date.parse('2026-06-01T01:00:00Z') }),
    });

    it('exchanges the Entra token once, then trades the ACR refresh token per scope', async () => {
      const calls: string[][] = [];
      const { client, clock } = await setup({ auth: 'acr' }, { aadCredential: aad(calls), aadRegistries: () => true, aadTenantId: 'tenant-1' });
      await Promise.all([client.resolve(`${fake.host}/team/app:v1`), client.resolve(`${fake.host}/team/app:v1`)]);
      await client.resolve(`${fake.host}/team/other:v1`);
      expect(calls).toEqual([['https://containerregistry.azure.net/.default']]);
      expect(fake.tokenRequests.map((t) => `${t.path} ${t.grantType} ${t.scope}`)).toEqual([
        '/oauth2/exchange access_token ',
        '/oauth2/token refresh_token repository:team/app:pull',
        '/oauth2/token refresh_token repository:team/other:pull',
      ]);
      expect(fake.tokenRequests[0]?.accessToken).toBe('aad-token');
      clock.set('2026-06-01T02:00:00Z');
      await client.resolve(`${fake.host}/team/app:v1`);
      expect(calls).toHaveLength(2);
    });

    it('is not used for registries outside aadRegistries (default: *.azurecr.io)', async () => {
      const calls: string[][] = [];
      const { client } = await setup({ auth: 'acr' }, { aadCredential: aad(calls) });
      await client.resolve(`${fake.host}/team/app:v1`);
      expect(calls).toEqual([]);
      expect(fake.tokenRequests.map((t) => `${t.method} ${t.path}`)).toEqual(['GET /oauth2/token']);
    });

    it('never sends the Entra token to a realm on another origin', async () => {
      const calls: string[][] = [];
      const { client } = await setup({ auth: 'acr' }, { aadCredential: aad(calls), aadRegistries: () => true });
      fake.auth.challengeOverride = 'Bearer realm="http://127.0.0.1:1/oauth2/token",service="x"';
      await expectAppError(client.resolve(`${fake.host}/team/app:v1`), 'ERR_AUTH_CHALLENGE', 'inconclusive');
      expect(calls).toEqual([]);
    });

    it('hands the exchanged ACR refresh token to a scheme reading the registry\'s own origin (DCT trust data), once', async () => {
      const calls: string[][] = [];
      const { client } = await setup({ auth: 'acr' }, { aadCredential: aad(calls), aadRegistries: () => true });
      const credential = await client.credentialFor(fake.host);
      expect(credential).toEqual({ kind: 'refresh-token', refreshToken: expect.any(String) });
      await client.resolve(`${fake.host}/team/app:v1`); // the registry client reuses the same exchange
      expect(calls).toHaveLength(1);
      expect(await clientFor(fake, { allowRegistry: () => false }).client.credentialFor(fake.host)).toBeUndefined();
    });

    it('a failing credential is a config error', async () => {
      const failing: AadTokenProvider = { getToken: async () => Promise.reject(new Error('no identity')) };
      const { client } = await setup({ auth: 'acr' }, { aadCredential: failing, aadRegistries: () => true });
      await expectAppError(client.resolve(`${fake.host}/team/app:v1`), 'ERR_CREDENTIALS', 'config');
    });

    it('accepts @azure/identity credentials as the port (type-level)', () => {
      const plug = (credential: DefaultAzureCredential): AadTokenProvider => credential;
      expect(typeof plug).toBe('function');
    });
  });
});
