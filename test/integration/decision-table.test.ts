import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdmissionHandler } from '../../functions/admission.js';
import { makeGatekeeperHandler } from '../../functions/gatekeeper.js';
import { makeMutateHandler } from '../../functions/mutate.js';
import { makeVerifyHandler } from '../../functions/verify.js';
import { runCli } from '../../cli/run.js';
import { createServices, loadSettings, type Services } from '../../shared/config/index.js';
import { fixedClock, silentLogger } from '../../shared/core/index.js';
import { freePort } from '../../host/azurite.js';
import { dockerRegistryAvailable } from '../helpers/docker-registry.js';
import { startSignedRegistry, type SignedRegistry } from '../helpers/signed-registry.js';
import { loadReview, withImages } from '../unit/admission/reviews.js';
import { bodyOf, context, webhookRequest } from '../unit/admission/webhook-request.js';

type Decision = 'allow' | 'deny' | 'inconclusive';
const KEY = 'decision-table-key-0123456789abcdefghijkl';

/**
 * One decision table, asked on every surface: the service, the CLI, REST, admission validate and mutate, Gatekeeper
 * verify and mutate, and verify-on-push. Each subject must get the same decision everywhere (a surface that cannot
 * say "inconclusive" says it its own way: admission refuses with the reason, Gatekeeper returns an item error,
 * the CLI exits 3, push throws so Event Grid retries).
 */
describe.skipIf(!dockerRegistryAvailable())('one decision table on every surface (real docker-registry)', () => {
  let fixture: SignedRegistry;
  let services: Services;
  let policyPath: string;
  let down: string;
  const subjects: Array<[string, () => string, Decision]> = [];

  beforeAll(async () => {
    fixture = await startSignedRegistry();
    down = `127.0.0.1:${await freePort()}`;
    const skipped = await fixture.pushImage('skipped', 'v1');
    const base = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(fixture.policyPath, 'utf8'))) as { trustPolicies: Array<Record<string, unknown>> };
    const strict = base.trustPolicies[0] as Record<string, unknown>;
    policyPath = join(fixture.dir, 'decision-policy.json');
    await writeFile(policyPath, JSON.stringify({
      version: '1.0',
      trustPolicies: [
        { ...strict, registryScopes: [...(strict['registryScopes'] as string[]), `${down}/app`] },
        { name: 'skipped', registryScopes: [`${fixture.registry.host}/skipped`], signatureVerification: { level: 'skip' } },
      ],
    }));
    const env = fixture.env({ TRUSTGATE_TRUST_POLICY: policyPath, TRUSTGATE_PLAIN_HTTP: `${fixture.registry.host},${down}`, TRUSTGATE_REGISTRY_TIMEOUT_MS: '2000', TRUSTGATE_ADMISSION_KEY: KEY });
    services = await createServices(loadSettings(env), { clock: fixedClock(fixture.now), logger: silentLogger });
    const { images } = fixture;
    subjects.push(
      ['signed (tag)', () => images.signed.reference, 'allow'],
      ['signed (digest)', () => images.signed.pinned, 'allow'],
      ['unsigned', () => images.unsigned.reference, 'deny'],
      ['untrusted signer', () => images.untrusted.reference, 'deny'],
      ['skip level by tag', () => skipped.reference, 'allow'],
      ['skip level by digest', () => skipped.pinned, 'allow'],
      ['registry down', () => `${down}/app:v1`, 'inconclusive'],
      ['malformed reference', () => `${fixture.registry.host}/UPPER::bad`, 'deny'],
    );
  });
  afterAll(async () => {
    await fixture?.stop();
  });

  const surfaces: Record<string, (reference: string) => Promise<Decision>> = {
    service: async (reference) => (await services.verification.verify(reference)).decision,
    cli: async (reference) => {
      const code = await runCli(['verify', reference, '--trust-policy', policyPath, '--trust-store', fixture.storeDir, '--output', 'json'], {
        stdout: () => undefined,
        stderr: () => undefined,
        env: { TRUSTGATE_PLAIN_HTTP: `${fixture.registry.host},${down}`, TRUSTGATE_REGISTRY_TIMEOUT_MS: '2000', DOCKER_CONFIG: fixture.dir },
        overrides: { clock: fixedClock(fixture.now), logger: silentLogger },
      });
      return ({ 0: 'allow', 1: 'deny', 2: 'deny', 3: 'inconclusive' } as Record<number, Decision>)[code] ?? (`exit ${code}` as Decision);
    },
    rest: async (reference) => {
      const response = await makeVerifyHandler(services)(webhookRequest('v1/verify', JSON.stringify({ subjects: [reference] })), context('verify'));
      if (response.status === 400) return 'deny'; // a malformed subject is refused before any verdict
      return bodyOf<{ results: Array<{ decision: Decision }> }>(response).results[0]?.decision as Decision;
    },
    ...Object.fromEntries((['validate', 'mutate'] as const).map((kind) => [`admission ${kind}`, async (reference: string): Promise<Decision> => {
      const deps = { verification: services.verification, settings: { pathKey: KEY }, clock: fixedClock(fixture.now) };
      const handler = kind === 'validate' ? makeAdmissionHandler(deps) : makeMutateHandler(deps);
      const review = withImages(loadReview('pod'), () => reference);
      const response = await handler(webhookRequest(`v1/admission/${kind}`, JSON.stringify(review), { key: KEY, timeout: '10s' }), context());
      const answer = bodyOf<{ response: { allowed: boolean; status?: { message?: string } } }>(response).response;
      if (answer.allowed) return 'allow';
      return /ERR_REGISTRY_UNAVAILABLE|inconclusive/i.test(answer.status?.message ?? '') ? 'inconclusive' : 'deny';
    }])),
    ...Object.fromEntries((['verify', 'mutate'] as const).map((kind) => [`gatekeeper ${kind}`, async (reference: string): Promise<Decision> => {
      const handler = makeGatekeeperHandler({ verification: services.verification, settings: { pathKey: KEY, gatekeeperDeadlineMs: 10_000, gatekeeperMutateDeadlineMs: 10_000 }, clock: fixedClock(fixture.now) }, kind);
      const body = JSON.stringify({ apiVersion: 'externaldata.gatekeeper.sh/v1beta1', kind: 'ProviderRequest', request: { keys: [reference] } });
      const response = await handler(webhookRequest(`v1/gatekeeper/${kind}`, body, { key: KEY }), context());
      const item = bodyOf<{ response: { items: Array<{ value?: { isSuccess?: boolean } | string; error?: string }> } }>(response).response.items[0];
      if (item?.error) return /ERR_REGISTRY_UNAVAILABLE/.test(item.error) ? 'inconclusive' : 'deny';
      return kind === 'mutate' || (item?.value as { isSuccess?: boolean }).isSuccess ? 'allow' : 'deny';
    }])),
  };

  it.each(Object.keys(surfaces))('%s gives the table\'s decision for every subject', async (surface) => {
    const answers = [];
    for (const [name, reference, expected] of subjects) answers.push([name, await (surfaces[surface] as (r: string) => Promise<Decision>)(reference()), expected]);
    expect(answers.map(([name, got]) => [name, got])).toEqual(answers.map(([name, , expected]) => [name, expected]));
  });

  it("a failing signer is named in the answer (not only passing ones)", async () => {
    const verdict = await services.verification.verify(fixture.images.untrusted.reference);
    const text = verdict.reasons.map((r) => r.message).join(' ');
    expect(text).toContain('does not contain any trusted certificate');
    expect(text).toContain('Stranger');
  });

  it('verify-on-push gives the same decision for the pushed digests (and retries, by throwing, when the registry is down)', async () => {
    const { images } = fixture;
    const push = (reference: string, digest: string) => {
      const [host, rest] = [reference.slice(0, reference.indexOf('/')), reference.slice(reference.indexOf('/') + 1)];
      const repository = rest.split(/[:@]/)[0] as string;
      return services.push.handle({ id: digest, type: 'ImagePushed', registry: host, repository, digest, timestamp: fixture.now.toISOString() });
    };
    const decided = async (reference: string, digest: string) => {
      const outcome = await push(reference, digest);
      return outcome.kind === 'verified' ? outcome.decision : outcome.kind;
    };
    expect(await decided(images.signed.reference, images.signed.descriptor.digest)).toBe('allow');
    expect(await decided(images.unsigned.reference, images.unsigned.descriptor.digest)).toBe('deny');
    expect(await decided(images.untrusted.reference, images.untrusted.descriptor.digest)).toBe('deny');
    await expect(push(`${down}/app:v1`, images.signed.descriptor.digest)).rejects.toMatchObject({ kind: 'inconclusive' });
  });
});
