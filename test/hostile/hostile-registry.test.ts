import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerProviderRequest, MAX_PROVIDER_KEYS, MAX_SUBJECTS_IN_FLIGHT } from '../../shared/admission/index.js';
import { EgressPolicy, fixedClock, silentLogger, type FetchLike } from '../../shared/core/index.js';
import { parseEnvelope } from '../../shared/notary/envelope/index.js';
import { RegistryClient, staticCredentials, type Descriptor } from '../../shared/oci/index.js';
import { RevocationChecker, validateCodeSigningChain } from '../../shared/pki/index.js';
import { MemoryResultCache } from '../../shared/cache/index.js';
import type { NotaryChecker } from '../../shared/notary/index.js';
import { boundVerdict, DefaultVerificationService, PushHandler, TRUNCATION_MARKER } from '../../shared/verification/index.js';
import type { Verdict as EvidenceVerdict } from '../../shared/verdict/index.js';
import { startFakeRegistry, type FakeRegistry } from '../fakes/registry/index.js';
import { expectAppError } from '../helpers/expect-error.js';
import { createChain, PKI_NOW } from '../helpers/pki/index.js';
import { signJws } from '../helpers/signer/index.js';
import { collect, SIGNATURE, storeImage, storeReferrer } from '../unit/oci/setup.js';
import { NOW, policy, serviceOptions } from '../unit/verification/fakes.js';
import { DigestFakeService } from './fakes.js';
import { LOOSE_STALL_CEILING_MS, withLoopDelay } from './measure.js';

const JWS = 'application/jose+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** A client for the fake registry as the composition root builds it: loopback allowed because the operator named it. */
/** The real orchestrator over the hostile registry: Notary behind the port, the engine answering `ok` for every signature. */
function orchestrator(fake: FakeRegistry, extra: { cache?: MemoryResultCache; ok?: boolean } = {}): DefaultVerificationService {
  const { ok = true, ...rest } = extra;
  const checker: NotaryChecker = async (input) => ({ envelopeMediaType: input.envelopeMediaType, level: 'strict', ok, checks: [{ check: 'integrity', action: 'enforce', ok }] });
  return new DefaultVerificationService({
    ...serviceOptions({ registry: namedClient(fake), checker, policy: policy('strict', ['*']), ...rest }),
    allowRegistry: () => true,
  });
}

function namedClient(fake: FakeRegistry, extra: ConstructorParameters<typeof RegistryClient>[0] = {}): RegistryClient {
  return new RegistryClient({ plainHttp: [fake.host], allowRegistry: (host) => host === fake.host, retries: 0, sleep: async () => undefined, ...extra });
}

/** JSON nested `depth` levels deep inside an otherwise plausible document. */
function deepJson(depth: number, prefix: string): Buffer {
  return Buffer.from(`${prefix}${'['.repeat(depth)}${']'.repeat(depth)}}`);
}

/** A server on another origin that records what reaches it (the attacker's host in redirect scenarios). */
async function startRecorder(answer: (req: IncomingMessage, origin: string) => { status: number; headers?: Record<string, string> }) {
  const seen: Array<{ path: string; authorization?: string }> = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const { status, headers } = answer(req, origin);
    res.writeHead(status, headers).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, origin, host: new URL(origin).host, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('hostile registries and signers (issue 9)', () => {
  let fake: FakeRegistry;
  beforeEach(async () => {
    fake = await startFakeRegistry();
  });
  afterEach(async () => fake.stop());

  describe('finding 1: one pushed signature cannot buy seconds of CPU', () => {
    const chain = createChain({ prefix: 'Hostile', intermediates: 0 });
    const descriptor = { mediaType: OCI_MANIFEST, digest: `sha256:${'a'.repeat(64)}`, size: 517 };

    it('an x5c of 4,002 certificates (2.3 MiB+) is refused by size before any certificate is decoded', async () => {
      const bloated = signJws({ descriptor, chain: Array.from({ length: 4002 }, () => chain.leaf.der), privateKey: chain.leaf.privateKey });
      const { maxDelayMs } = await withLoopDelay(async () => expectAppError(() => parseEnvelope(bloated, JWS), 'ERR_NOTARY_ENVELOPE_TOO_LARGE', 'verification-failed'));
      expect(bloated.length).toBeGreaterThan(2 * 1024 * 1024);
      expect(maxDelayMs).toBeLessThan(LOOSE_STALL_CEILING_MS);
    });

    it('an x5c of 11 certificates is refused before parsing (at most 10 per chain), in the envelope and in pki', async () => {
      const eleven = Array.from({ length: 11 }, () => chain.leaf.der);
      await expectAppError(() => parseEnvelope(signJws({ descriptor, chain: eleven, privateKey: chain.leaf.privateKey }), JWS), 'ERR_NOTARY_CHAIN_TOO_LONG', 'verification-failed');
      // pki refuses by count before parsing: junk bytes would otherwise fail as ERR_CERT_PARSE.
      await expectAppError(() => validateCodeSigningChain(Array.from({ length: 11 }, () => new Uint8Array([1, 2, 3]))), 'ERR_CERT_CHAIN_TOO_LONG', 'verification-failed');
    });

    it('a deeply nested JWS is refused on its raw bytes (size bound first, then depth)', async () => {
      const huge = deepJson(3_800_000, '{"payload":');
      await expectAppError(() => parseEnvelope(huge, JWS), 'ERR_NOTARY_ENVELOPE_TOO_LARGE');
      const deep = deepJson(400_000, '{"payload":');
      const { maxDelayMs } = await withLoopDelay(async () => expectAppError(() => parseEnvelope(deep, JWS), 'ERR_NOTARY_ENVELOPE_TOO_DEEP', 'verification-failed'));
      expect(maxDelayMs).toBeLessThan(LOOSE_STALL_CEILING_MS);
    });

    it('a deeply nested signature manifest and a deeply nested referrers tag index are definite failures, fast', async () => {
      const image = storeImage(fake, 'team/app', 'v1');
      const manifest = fake.putManifest('team/app', deepJson(1_000_000, '{"schemaVersion":2,"x":'), { mediaType: OCI_MANIFEST });
      fake.putManifest('team/app', deepJson(1_000_000, '{"schemaVersion":2,"manifests":'), { mediaType: OCI_INDEX, tag: `sha256-${image.digest.slice(7)}` });
      fake.faults.referrers.api = 'not-found';
      const client = namedClient(fake);
      const { maxDelayMs } = await withLoopDelay(async () => {
        await expectAppError(client.fetchManifest(`${fake.host}/team/app`, manifest), 'ERR_CONTENT_TOO_DEEP', 'verification-failed');
        await expectAppError(collect(client.referrers(`${fake.host}/team/app`, image)), 'ERR_CONTENT_TOO_DEEP', 'verification-failed');
      });
      expect(maxDelayMs).toBeLessThan(LOOSE_STALL_CEILING_MS);
    });
  });

  describe('finding 2: revocation URLs from a certificate go through the egress policy', () => {
    it.each(['http://169.254.169.254/latest/meta-data/', 'http://2852039166/', 'http://[fd00:ec2::254]/', 'http://[64:ff9b::a9fe:a9fe]/', 'http://ocsp.attacker.example/'])(
      'never requests %s; the status is unknown and the message names the URL and the cause',
      async (url) => {
        const chain = createChain({ prefix: 'Revocation Hostile', intermediates: 1, leaf: { ocspUrls: [url] } });
        const connects: string[] = [];
        const egress = new EgressPolicy({
          resolve: async () => ['127.0.0.1'], // the attacker's name points at loopback
          connect: async (target) => (connects.push(String(target)), new Response('', { status: 500 })),
        });
        const checker = new RevocationChecker({ egress, clock: fixedClock(PKI_NOW), logger: silentLogger });
        const result = await checker.checkChain(chain.ders, { purpose: 'codeSigning', at: PKI_NOW });
        expect(result.status).toBe('unknown');
        expect(connects).toEqual([]);
        const leaf = result.certs[0];
        expect(leaf?.error?.message).toContain('refused by the egress policy');
        expect(leaf?.error?.message).toContain(url.replace(/\/$/, ''));
      },
    );
  });

  describe('finding 3: the allowlist gates every hop, and credentials stay with the registry', () => {
    let attacker: Awaited<ReturnType<typeof startRecorder>>;
    beforeAll(async () => {
      attacker = await startRecorder(() => ({ status: 200, headers: { 'content-type': OCI_MANIFEST } }));
    });
    afterAll(async () => attacker.stop());
    beforeEach(() => void (attacker.seen.length = 0));

    it.each([
      ['HEAD of a tag', 'HEAD'],
      ['GET of a tag', 'GET'],
    ])('a %s redirected to another host is refused without a request there', async (_what, method) => {
      storeImage(fake, 'team/app', 'v1');
      fake.faults.omitDigestHeader = true; // HEAD then says too little: the client GETs the tag
      fake.faults.failures.push({ status: 307, count: 2, match: new RegExp(`^${method} /v2/team/app/manifests/v1`), headers: { location: `${attacker.origin}/v2/team/app/manifests/v1` } });
      const client = namedClient(fake, { credentials: staticCredentials({ [fake.host]: { kind: 'basic', username: 'u', password: 'secret' } }) });
      await expectAppError(client.resolve(`${fake.host}/team/app:v1`), 'ERR_REDIRECT_REFUSED');
      expect(attacker.seen).toEqual([]);
    });

    it('a blob redirect (content-addressed) to a non-public address the operator did not list is refused', async () => {
      const blob = fake.putBlob('team/app', 'envelope');
      fake.faults.redirectBlobs = true;
      await expectAppError(namedClient(fake).fetchBlob(`${fake.host}/team/app`, blob), 'ERR_REDIRECT_REFUSED');
      expect(fake.storageRequests).toEqual([]);
    });

    it('a token realm on another host never receives the configured credentials', async () => {
      const calls: Array<{ url: string; authorization: string | undefined }> = [];
      const routes: FetchLike = async (input, init) => {
        const url = String(input);
        calls.push({ url, authorization: new Headers(init?.headers).get('authorization') ?? undefined });
        return new Response('{}', { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://collector.example/token",service="registry.example"' } });
      };
      const client = new RegistryClient({
        fetch: routes,
        resolveHost: async () => ['20.1.2.3'],
        retries: 0,
        credentials: staticCredentials({ 'registry.example': { kind: 'basic', username: 'u', password: 'secret' } }),
      });
      await expectAppError(client.resolve('registry.example/app:v1'), 'ERR_AUTH_CHALLENGE');
      expect(calls.map((c) => new URL(c.url).host)).toEqual(['registry.example']);
      expect(calls.every((c) => c.authorization === undefined)).toBe(true);
    });
  });

  it('finding 4: a 401 after a cross-origin redirect is not the registry\'s challenge: no credentials, no token', async () => {
    const calls: Array<{ url: string; authorization: string | undefined }> = [];
    const blob: Descriptor = { mediaType: 'application/octet-stream', digest: `sha256:${'b'.repeat(64)}`, size: 8 };
    const routes: FetchLike = async (input, init) => {
      const url = new URL(String(input));
      calls.push({ url: url.href, authorization: new Headers(init?.headers).get('authorization') ?? undefined });
      if (url.host === 'registry.example') return new Response(null, { status: 307, headers: { location: 'https://cdn.example/blob' } });
      return new Response('{}', { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://cdn.example/token"' } });
    };
    const client = new RegistryClient({
      fetch: routes,
      resolveHost: async () => ['20.1.2.3'],
      retries: 0,
      credentials: staticCredentials({ 'registry.example': { kind: 'basic', username: 'u', password: 'secret' } }),
    });
    await expectAppError(client.fetchBlob('registry.example/app', blob), 'ERR_REGISTRY_UNAUTHORIZED');
    expect(calls.map((c) => c.url)).toEqual(['https://registry.example/v2/app/blobs/' + blob.digest, 'https://cdn.example/blob']);
    expect(calls.every((c) => c.authorization === undefined)).toBe(true);
  });

  it('finding 5: a referrers 404 in one repository does not switch another repository to the tag fallback', async () => {
    const a = storeImage(fake, 'team/a', 'v1');
    const b = storeImage(fake, 'team/b', 'v1');
    const signatureOfB = storeReferrer(fake, 'team/b', b, SIGNATURE);
    fake.faults.failures.push({ status: 404, count: 1, match: /^GET \/v2\/team\/a\/referrers\//, body: '404 page not found' });
    const client = namedClient(fake);
    expect(await collect(client.referrers(`${fake.host}/team/a`, a, { artifactType: SIGNATURE }))).toEqual([]);
    expect(await collect(client.referrers(`${fake.host}/team/b`, b, { artifactType: SIGNATURE }))).toEqual([signatureOfB]);
    expect(fake.requests.filter((r) => r.path.startsWith('/v2/team/b/referrers/'))).toHaveLength(1);
    // Through the orchestrator: b is allowed (not ERR_NO_SIGNATURE), and nothing is cached for it as a deny.
    const cache = new MemoryResultCache({ maxEntries: 10, clock: fixedClock(NOW) });
    fake.faults.failures.push({ status: 404, count: 1, match: /^GET \/v2\/team\/a\/referrers\//, body: '404 page not found' });
    const service = orchestrator(fake, { cache });
    expect((await service.verify(`${fake.host}/team/a@${a.digest}`)).reasons[0]?.code).toBe('ERR_NO_SIGNATURE');
    const verdict = await service.verify(`${fake.host}/team/b@${b.digest}`);
    expect([verdict.decision, verdict.reasons[0]?.code]).toEqual(['allow', 'OK_SIGNATURE_VERIFIED']);
  });

  it('finding 6: one overall signal ends 50 slow-drip fetches after the first few, not after 50 × the per-request timeout', async () => {
    const image = storeImage(fake, 'team/app', 'v1');
    fake.faults.delay = { ms: 300, match: /^GET \/v2\/team\/app\/manifests\// };
    const client = namedClient(fake, { timeoutMs: 2_000 });
    const deadline = AbortSignal.timeout(500);
    let attempted = 0;
    const error = await expectAppError(
      (async () => {
        for (let i = 0; i < 50; i++) {
          attempted++;
          await client.fetchManifest(`${fake.host}/team/app`, image, { signal: deadline });
        }
      })(),
      'ERR_REGISTRY_ABORTED',
      'inconclusive',
    );
    expect(error).toBeDefined();
    expect(attempted).toBeLessThan(10);
  });

  it('finding 6 through the orchestrator: 50 slow-drip signatures end inconclusive ERR_VERIFICATION_DEADLINE at the overall deadline', async () => {
    const image = storeImage(fake, 'team/slow', 'v1');
    for (let i = 0; i < 50; i++) storeReferrer(fake, 'team/slow', image, SIGNATURE, `sig ${i}`);
    fake.faults.delay = { ms: 300, match: /^GET \/v2\/team\/slow\/manifests\/sha256/ };
    // Every signature fails, so without an overall deadline all 50 would be fetched (50 × 300 ms).
    const verdict = await orchestrator(fake, { ok: false }).verify(`${fake.host}/team/slow@${image.digest}`, { signal: AbortSignal.timeout(1_000) });
    expect([verdict.decision, verdict.reasons.map((r) => r.code)]).toEqual(['inconclusive', ['ERR_VERIFICATION_DEADLINE']]);
    // Evidence is read 4 at a time (about 4 × 1000 / 300 reads before the deadline): far from all 50.
    expect(fake.requests.filter((r) => /^\/v2\/team\/slow\/manifests\/sha256/.test(r.path)).length).toBeLessThan(25);
  });

  describe('finding 7: with a wildcard allowlist, names the operator did not name reveal nothing about the network', () => {
    const scanner = (resolveTo: string) =>
      new RegistryClient({ allowRegistry: () => true, namedRegistry: () => false, resolveHost: async () => [resolveTo], retries: 0 });

    it('a name resolving to loopback is not contacted, open port or closed, and both answers read the same', async () => {
      const open = Number(fake.host.split(':')[1]);
      const closed = await (async () => {
        const s = createServer();
        await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
        const port = (s.address() as AddressInfo).port;
        await new Promise<void>((resolve) => s.close(() => resolve()));
        return port;
      })();
      const client = scanner('127.0.0.1');
      const answers = await Promise.all(
        [open, closed].map(async (port) => {
          const error = await expectAppError(client.resolve(`scan.example:${port}/team/app:v1`), 'ERR_REGISTRY_CONNECTION', 'inconclusive');
          return error.message.replace(String(port), 'PORT');
        }),
      );
      expect(answers[0]).toBe(answers[1]);
      expect(answers[0]).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|loopback/);
      expect(fake.requests).toEqual([]);
    });

    it.each(['169.254.169.254', '168.63.129.16', '100.100.100.200', '0.0.0.0', '64:ff9b::a9fe:a9fe', '::a9fe:a9fe', '2002:a9fe:a9fe::1'])(
      'a name resolving to %s is refused before any connection',
      async (address) => {
        const connects: string[] = [];
        const client = new RegistryClient({
          allowRegistry: () => true,
          namedRegistry: () => false,
          fetch: async (input) => (connects.push(String(input)), new Response('{}')),
          resolveHost: async () => [address],
          retries: 0,
        });
        await expectAppError(client.resolve('innocent.example/app:v1'), 'ERR_REGISTRY_CONNECTION');
        expect(connects).toEqual([]);
      },
    );
  });

  it('finding 8: 50 signatures with 60 KB DNs make a verdict of a few hundred KB at most, with markers', () => {
    const dn = `CN=${'x'.repeat(60_000)}`;
    const verdict: EvidenceVerdict = {
      subject: { reference: 'registry.example/app@sha256:' + 'a'.repeat(64), digest: 'sha256:' + 'a'.repeat(64) },
      decision: 'deny',
      evidence: Array.from({ length: 60 }, (_, i) => ({
        scheme: 'notary',
        ok: false,
        checks: [{ name: 'authenticity', action: 'enforce' as const, ok: false, error: { code: 'ERR_NOTARY_UNTRUSTED_CHAIN', message: `untrusted ${dn}` } }],
        signer: { subject: dn, issuer: dn, thumbprints: Array.from({ length: 4000 }, () => 'f'.repeat(64)) },
        error: { code: 'ERR_NOTARY_UNTRUSTED_CHAIN', message: `signature ${i} by ${dn}` },
      })),
      reasons: [{ code: 'ERR_NO_TRUSTED_SIGNATURE', message: dn }],
      verifiedAt: '2026-11-30T00:00:00Z',
      expiresAt: '2026-11-30T00:01:00Z',
    };
    expect(JSON.stringify(verdict).length).toBeGreaterThan(3_000_000);
    const bounded = boundVerdict(verdict);
    expect(JSON.stringify(bounded).length).toBeLessThan(600_000);
    expect(bounded.evidence).toHaveLength(50);
    expect(bounded.evidence[0]?.signer?.subject).toContain(TRUNCATION_MARKER);
    expect(bounded.evidence[0]?.signer?.thumbprints).toHaveLength(11);
    expect(bounded.reasons.map((r) => r.code)).toContain('INFO_EVIDENCE_TRUNCATED');
  });

  describe('finding 9: amplification', () => {
    it('a Gatekeeper request with 1,000 keys verifies at most 256, never more than 8 at once, without stalling the loop', async () => {
      const service = new DigestFakeService();
      const keys = Array.from({ length: 1_000 }, (_, i) => `registry.example/app${i}:v1`);
      const { result, maxDelayMs } = await withLoopDelay(() => answerProviderRequest(keys, { kind: 'verify' }, { service }, { signal: AbortSignal.timeout(60_000) }));
      expect(result.response.items).toHaveLength(1_000);
      expect(service.calls).toBe(MAX_PROVIDER_KEYS);
      expect(service.peak).toBeLessThanOrEqual(MAX_SUBJECTS_IN_FLIGHT);
      expect(maxDelayMs).toBeLessThan(LOOSE_STALL_CEILING_MS);
    });

    it('2,000 push events for one digest cost one manifest read and one verification', async () => {
      const service = new DigestFakeService();
      let manifestReads = 0;
      const registry = {
        fetchManifest: async () => {
          manifestReads++;
          await new Promise((resolve) => setTimeout(resolve, 5));
          return { json: { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'x', digest: `sha256:${'c'.repeat(64)}`, size: 1 }, layers: [] } };
        },
      };
      const handler = new PushHandler({
        service: service as unknown as DefaultVerificationService,
        registry: registry as never,
        cache: { deleteDigest: async () => undefined } as never,
        allowRegistry: () => true,
        logger: silentLogger,
      });
      const event = { id: 'e', type: 'ImagePushed' as const, registry: 'registry.example', repository: 'app', digest: `sha256:${'d'.repeat(64)}`, eventTime: '2026-11-30T00:00:00Z' };
      const outcomes = await Promise.all(Array.from({ length: 2_000 }, (_, i) => handler.handle({ ...event, id: `e${i}` } as never)));
      expect(outcomes.every((o) => o.kind === 'verified')).toBe(true);
      expect(manifestReads).toBe(1);
      expect(service.calls).toBe(1);
      // A redelivery a moment later is answered from memory too.
      await handler.handle(event as never);
      expect(service.calls).toBe(1);
    });
  });
});
