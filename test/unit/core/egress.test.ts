import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EgressPolicy, classifyAddress } from '../../../shared/core/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

describe('classifyAddress: the IANA special-purpose registries, embeddings unwrapped', () => {
  it.each([
    // cloud metadata and control planes: never, even for a named host
    ['169.254.169.254', 'forbidden'],
    ['168.63.129.16', 'forbidden'],
    ['100.100.100.200', 'forbidden'],
    ['fd00:ec2::254', 'forbidden'],
    ['[fd00:ec2::254]', 'forbidden'],
    // the same addresses inside IPv6
    ['::ffff:169.254.169.254', 'forbidden'],
    ['::ffff:a9fe:a9fe', 'forbidden'],
    ['64:ff9b::a9fe:a9fe', 'forbidden'],
    ['64:ff9b::169.254.169.254', 'forbidden'],
    ['::a9fe:a9fe', 'forbidden'],
    ['2002:a9fe:a9fe::1', 'forbidden'],
    ['2002:a83f:8110::', 'forbidden'],
    // other never-blocks
    ['0.0.0.0', 'forbidden'],
    ['0.1.2.3', 'forbidden'],
    ['::', 'forbidden'],
    ['169.254.0.1', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['192.0.2.1', 'forbidden'],
    ['198.18.0.1', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
    ['ff02::1', 'forbidden'],
    ['2001:db8::1', 'forbidden'],
    ['2001:0:4136:e378::1', 'forbidden'],
    ['64:ff9b:1::1', 'forbidden'],
    ['100::1', 'forbidden'],
    ['not-an-ip', 'forbidden'],
    // local: only for hosts the operator named
    ['127.0.0.1', 'local'],
    ['127.255.0.9', 'local'],
    ['::1', 'local'],
    ['::ffff:127.0.0.1', 'local'],
    ['::ffff:7f00:1', 'local'],
    ['64:ff9b::7f00:1', 'local'],
    ['2002:7f00:1::', 'local'],
    ['10.0.0.1', 'local'],
    ['172.16.5.4', 'local'],
    ['192.168.1.1', 'local'],
    ['100.64.0.1', 'local'],
    ['fd12:3456::1', 'local'],
    // public
    ['8.8.8.8', 'public'],
    ['20.1.2.3', 'public'],
    ['100.128.0.1', 'public'],
    ['172.32.0.1', 'public'],
    ['169.253.255.255', 'public'],
    ['2606:4700::1111', 'public'],
    ['64:ff9b::808:808', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['2002:808:808::1', 'public'],
  ])('%s is %s', (address, expected) => expect(classifyAddress(address).class).toBe(expected));
});

describe('EgressPolicy: URL forms', () => {
  const resolver = (table: Record<string, string[]>) => async (host: string) => {
    const hit = table[host];
    if (!hit) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return hit;
  };
  const policy = new EgressPolicy({
    named: (host) => host === 'registry.internal' || host === 'registry.internal:5000' || host === '127.0.0.1:5000',
    resolve: resolver({
      'registry.internal': ['10.1.2.3'],
      'public.example': ['20.1.2.3'],
      'rebind.example': ['127.0.0.1'],
      'metadata.example': ['20.1.2.3', '169.254.169.254'],
      'wireserver.example': ['168.63.129.16'],
      'nat64.example': ['64:ff9b::a9fe:a9fe'],
    }),
    connect: async () => new Response('connected'),
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data', 'ERR_EGRESS_FORBIDDEN'],
    ['http://2852039166/', 'ERR_EGRESS_FORBIDDEN'], // decimal form of 169.254.169.254: URL parsing normalises it
    ['http://0xa9.0xfe.0xa9.0xfe/', 'ERR_EGRESS_FORBIDDEN'],
    ['http://0251.0376.0251.0376/', 'ERR_EGRESS_FORBIDDEN'],
    ['http://[::ffff:169.254.169.254]/', 'ERR_EGRESS_FORBIDDEN'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'ERR_EGRESS_FORBIDDEN'],
    ['http://[::a9fe:a9fe]/', 'ERR_EGRESS_FORBIDDEN'],
    ['http://[2002:a9fe:a9fe::1]/', 'ERR_EGRESS_FORBIDDEN'],
    ['http://[fd00:ec2::254]/', 'ERR_EGRESS_FORBIDDEN'],
    ['http://168.63.129.16/machine', 'ERR_EGRESS_FORBIDDEN'],
    ['http://100.100.100.200/latest', 'ERR_EGRESS_FORBIDDEN'],
    ['http://0.0.0.0:8080/', 'ERR_EGRESS_FORBIDDEN'],
    ['http://127.0.0.1:6379/', 'ERR_EGRESS_FORBIDDEN'], // loopback, not named
    ['http://localhost.:80/', 'ERR_EGRESS_UNRESOLVABLE'],
    ['https://rebind.example/', 'ERR_EGRESS_FORBIDDEN'], // a public-looking name resolving to loopback
    ['https://metadata.example/', 'ERR_EGRESS_FORBIDDEN'], // one bad address is enough
    ['https://wireserver.example/', 'ERR_EGRESS_FORBIDDEN'],
    ['https://nat64.example/', 'ERR_EGRESS_FORBIDDEN'],
    ['https://nowhere.example/', 'ERR_EGRESS_UNRESOLVABLE'],
    ['file:///etc/passwd', 'ERR_EGRESS_FORBIDDEN'],
    ['ftp://public.example/', 'ERR_EGRESS_FORBIDDEN'],
  ])('refuses %s (%s)', async (url, code) => {
    await expectAppError(policy.fetch(url), code);
  });

  it.each([
    ['https://public.example/v2/', '20.1.2.3'],
    ['https://registry.internal/v2/', '10.1.2.3'], // private, but the operator named it
    ['http://127.0.0.1:5000/v2/', '127.0.0.1'], // loopback literal with the named port
    ['https://[2606:4700::1111]/', '2606:4700::1111'],
  ])('allows %s and connects to %s', async (url, address) => {
    expect(await policy.check(new URL(url))).toMatchObject({ address });
  });

  it('refuses metadata addresses even for a named host', async () => {
    const named = new EgressPolicy({ named: () => true, resolve: async () => ['169.254.169.254'], connect: async () => new Response('') });
    await expectAppError(named.fetch('https://registry.internal/'), 'ERR_EGRESS_FORBIDDEN');
  });
});

describe('EgressPolicy: resolve once, connect to the checked address', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => res.end(`host=${req.headers.host}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('connects to the address the resolver answered, without a second lookup (no rebinding)', async () => {
    const lookups: string[] = [];
    // A name no real DNS knows: reaching the server proves the socket used the checked address.
    const policy = new EgressPolicy({ named: (host) => host === 'registry.test', resolve: async (host) => (lookups.push(host), ['127.0.0.1']) });
    const response = await policy.fetch(`http://registry.test:${port}/v2/`);
    expect(await response.text()).toBe(`host=registry.test:${port}`);
    await (await policy.fetch(`http://registry.test:${port}/v2/`)).text();
    expect(lookups).toEqual(['registry.test']);
  });

  it('never follows redirects itself', async () => {
    const redirecting = createServer((_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const policy = new EgressPolicy({ named: () => true });
      const response = await policy.fetch(`http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/`);
      expect(response.status).toBe(302);
    } finally {
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
    }
  });
});
