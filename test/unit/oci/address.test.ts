import { describe, expect, it } from 'vitest';
import { RegistryClient, isForbiddenAddress } from '../../../shared/oci/index.js';
import type { FetchLike } from '../../../shared/core/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

describe('isForbiddenAddress', () => {
  it.each([
    ['169.254.169.254', true],
    ['169.254.0.1', true],
    ['[fe80::1]', true],
    ['fe80::abcd', true],
    ['febf::1', true],
    ['fd00:ec2::254', true],
    ['[::ffff:169.254.169.254]', true],
    ['::ffff:a9fe:a9fe', true],
    ['169.253.255.255', false],
    ['169.255.0.1', false],
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['fec0::1', true],
    ['64:ff9b::a9fe:a9fe', true],
    ['168.63.129.16', true],
    ['fd00:ec2::253', false],
    ['metadata.example', false],
  ])('%s → %s', (address, forbidden) => expect(isForbiddenAddress(address)).toBe(forbidden));
});

describe('RegistryClient address guard', () => {
  const refusingFetch = (): { fetch: FetchLike; calls: string[] } => {
    const calls: string[] = [];
    return { calls, fetch: async (input) => (calls.push(String(input)), new Response('{}', { status: 500 })) };
  };

  it.each(['169.254.169.254/app:v1', '[fe80::1]:5000/app:v1', '[fd00:ec2::254]/app:v1', '[::ffff:169.254.169.254]/app:v1'])(
    'refuses the literal host of %s without a request',
    async (reference) => {
      const { fetch, calls } = refusingFetch();
      const client = new RegistryClient({ fetch, resolveHost: false, retries: 0 });
      await expectAppError(client.resolve(reference), 'ERR_ADDRESS_FORBIDDEN', 'invalid-input');
      expect(calls).toEqual([]);
    },
  );

  it('refuses a name that resolves to a metadata address, and caches good answers', async () => {
    const { fetch, calls } = refusingFetch();
    const lookups: string[] = [];
    const client = new RegistryClient({
      fetch,
      retries: 0,
      resolveHost: async (host) => (lookups.push(host), host === 'evil.example' ? ['10.0.0.5', '169.254.169.254'] : ['10.0.0.7']),
    });
    await expectAppError(client.resolve('evil.example/app:v1'), 'ERR_ADDRESS_FORBIDDEN');
    expect(calls).toEqual([]);
    await expectAppError(client.resolve('good.example/app:v1'), 'ERR_REGISTRY_UNAVAILABLE');
    await expectAppError(client.resolve('good.example/app:v2'), 'ERR_REGISTRY_UNAVAILABLE');
    expect(lookups).toEqual(['evil.example', 'good.example']);
  });

  it('refuses a registry the allowlist rejects, before any request', async () => {
    const { fetch, calls } = refusingFetch();
    const seen: string[] = [];
    const client = new RegistryClient({ fetch, resolveHost: false, allowRegistry: (host) => (seen.push(host), host === 'ok.example') });
    await expectAppError(client.resolve('nginx'), 'ERR_REGISTRY_NOT_ALLOWED', 'invalid-input');
    await expectAppError(client.fetchBlob('other.example/a', { mediaType: 'x', digest: `sha256:${'0'.repeat(64)}`, size: 1 }), 'ERR_REGISTRY_NOT_ALLOWED');
    expect(seen).toEqual(['docker.io', 'other.example']);
    expect(calls).toEqual([]);
  });
});
