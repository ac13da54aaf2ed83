import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFunctions } from '../../functions/all.js';
import { makeVerifyHandler } from '../../functions/verify.js';
import { runCli } from '../../cli/run.js';
import { fixedClock, silentLogger } from '../../shared/core/index.js';
import { createServices, loadSettings, setServices, type Services } from '../../shared/config/index.js';
import { startLocalHost, type LocalHost } from '../../host/server.js';
import type { Verdict } from '../../shared/verification/index.js';
import { dockerRegistryAvailable } from '../helpers/docker-registry.js';
import { startSignedRegistry, type SignedRegistry } from '../helpers/signed-registry.js';

/** Signed / unsigned / untrusted images in a real docker-registry, verified through every surface. */
describe.skipIf(!dockerRegistryAvailable())('verification end to end (real docker-registry)', () => {
  let fixture: SignedRegistry;
  let services: Services;
  let host: LocalHost;

  beforeAll(async () => {
    fixture = await startSignedRegistry();
    services = await createServices(loadSettings(fixture.env()), { clock: fixedClock(fixture.now), logger: silentLogger });
    setServices(services);
    host = await startLocalHost({ definitions: allFunctions, logger: silentLogger, port: 0 });
  });
  afterAll(async () => {
    setServices(undefined);
    await host?.close();
    await fixture?.stop();
  });

  it('the service allows signed (JWS and COSE) and denies unsigned, untrusted and tampered images', async () => {
    const { images } = fixture;
    const verdict = async (ref: string) => services.verification.verify(ref, { bypassCache: true });
    const signed = await verdict(images.signed.reference);
    expect(signed.decision).toBe('allow');
    expect(signed.subject.digest).toBe(images.signed.descriptor.digest);
    expect(signed.evidence.find((s) => s.ok)?.signer?.subject).toContain('CN=Trustgate E2E Leaf');
    expect((await verdict(images.signedCose.reference)).decision).toBe('allow');
    const unsigned = await verdict(images.unsigned.reference);
    expect([unsigned.decision, unsigned.reasons[0]?.code]).toEqual(['deny', 'ERR_NO_SIGNATURE']);
    const untrusted = await verdict(images.untrusted.reference);
    expect([untrusted.decision, untrusted.reasons[0]?.code]).toEqual(['deny', 'ERR_SIGNATURE_VERIFICATION_FAILED']);
    expect(untrusted.evidence[0]?.checks.find((c) => c.name === 'authenticity')?.ok).toBe(false);
    expect((await verdict(images.tampered.reference)).decision).toBe('deny');
  });

  it('the CLI exits 0 / 1 / 1 / 2 and prints the pinned reference', async () => {
    const run = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, {
        stdout: (t) => void (stdout += t),
        stderr: (t) => void (stderr += t),
        env: {},
        overrides: { clock: fixedClock(fixture.now) },
      });
      return { code, stdout, stderr };
    };
    const flags = ['--trust-policy', fixture.policyPath, '--trust-store', fixture.storeDir, '--plain-http'];
    const signed = await run('verify', fixture.images.signed.reference, ...flags);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toContain(`VERIFIED: ${fixture.images.signed.pinned}`);
    const json = await run('verify', fixture.images.unsigned.reference, ...flags, '--output', 'json');
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as Verdict).reasons[0]?.code).toBe('ERR_NO_SIGNATURE');
    expect((await run('verify', fixture.images.untrusted.reference, ...flags)).code).toBe(1);
    expect((await run('verify', 'Not/A:Ref:!', ...flags)).code).toBe(2);
    expect((await run('verify', fixture.images.signed.reference, '--trust-policy', '/nonexistent.json', '--trust-store', fixture.storeDir)).code).toBe(2);
  });

  it('POST /api/v1/verify on the local host answers in request order', async () => {
    const { images } = fixture;
    const response = await fetch(`${host.url}/api/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subjects: [images.signed.reference, images.unsigned.reference, images.untrusted.pinned] }),
    });
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: Verdict[] };
    expect(results.map((r) => r.decision)).toEqual(['allow', 'deny', 'deny']);
    expect(results[2]?.subject.reference).toBe(images.untrusted.pinned);
  });

  it('the verify handler, called directly, rejects bad input with stable codes', async () => {
    const handler = makeVerifyHandler({ verification: services.verification });
    const call = async (body: string) => {
      const request = new HttpRequest({ method: 'POST', url: 'http://localhost/api/v1/verify', headers: { 'content-type': 'application/json' }, body: { string: body } });
      const response = (await handler(request, new InvocationContext())) as HttpResponseInit;
      return { status: response.status, body: response.jsonBody as { code?: string } };
    };
    expect((await call('{"subjects":["repo/UPPER:tag"]}')).body.code).toBe('ERR_INVALID_REFERENCE');
    expect((await call('{"subjects":[]}')).body.code).toBe('ERR_INVALID_REQUEST');
    expect((await call(JSON.stringify({ subjects: Array(101).fill('a/b:c') }))).body.code).toBe('ERR_INVALID_REQUEST');
    expect((await call('{"subjects":["a/b:c"],"more":1}')).body.code).toBe('ERR_INVALID_REQUEST');
    expect((await call('{nope')).status).toBe(400);
    const ok = await call(JSON.stringify({ subjects: [fixture.images.signed.reference] }));
    expect(ok.status).toBe(200);
  });

  it('GET /api/health reports loaded configuration without values, and the admission endpoints disabled without a key', async () => {
    const response = await fetch(`${host.url}/api/health`);
    const body = (await response.json()) as { status: string; configuration: { loaded: boolean }; disabled: unknown[] };
    expect(response.status).toBe(503);
    expect(body).toMatchObject({ status: 'degraded', configuration: { loaded: true } });
    expect(body.disabled).toContainEqual({ function: 'admission-validate', settings: ['TRUSTGATE_ADMISSION_KEY'] });
    expect(JSON.stringify(body)).not.toContain(fixture.storeDir);
  });
});
