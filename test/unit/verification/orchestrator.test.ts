import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/core/index.js';
import { createNotaryScheme } from '../../../shared/notary/index.js';
import type { EvidenceScheme } from '../../../shared/scheme/index.js';
import { BoundedEvidenceRegistry, DefaultVerificationService } from '../../../shared/verification/index.js';
import { FakeRegistry, IMAGE, fakeChecker, policy, serviceOptions, staticTrustStore } from './fakes.js';

const REF = 'registry.test/app:v1';
const REPO = { registry: 'registry.test', repository: 'app' };

function setup() {
  const registry = new FakeRegistry();
  registry.tags.set('v1', IMAGE);
  return { registry, ...fakeChecker({ 'sha256:good': { ok: true } }) };
}

describe('the orchestrator over the scheme port', () => {
  it('maps Notary outcomes to neutral evidence: scheme, trust root = statement, Notary facts as details', async () => {
    const { registry, checker } = setup();
    registry.addSignature(IMAGE.digest, 'sha256:good');
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.evidence).toEqual([
      expect.objectContaining({ scheme: 'notary', evidence: 'sha256:good', trustRoot: 'app', ok: true, details: { envelopeMediaType: 'application/jose+json', level: 'strict' } }),
    ]);
    expect(verdict.reasons).toEqual([{ code: 'OK_SIGNATURE_VERIFIED', message: 'notary signature sha256:good verified (trust root app)' }]);
  });

  it('is inconclusive ERR_VERIFICATION_DEADLINE when the caller aborts, even if a scheme ignores the signal', async () => {
    const { registry } = setup();
    const stuck: EvidenceScheme = { ...createNotaryScheme({ policy: policy(), trustStore: staticTrustStore(), checker: fakeChecker({}).checker }), verify: () => new Promise(() => undefined) };
    const controller = new AbortController();
    const service = new DefaultVerificationService({ ...serviceOptions({ registry, checker: fakeChecker({}).checker }), schemes: [stuck] });
    const pending = service.verify(REF, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('deadline')), 5);
    const verdict = await pending;
    expect(verdict.decision).toBe('inconclusive');
    expect(verdict.reasons.map((r) => r.code)).toEqual(['ERR_VERIFICATION_DEADLINE']);
  });

  it('names the underlying code once, not as a doubled prefix', async () => {
    const { registry, checker } = setup();
    registry.failures.set('resolve', new AppError('ERR_REGISTRY_CONNECTION', 'inconclusive', 'connect ECONNREFUSED'));
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.reasons).toEqual([{ code: 'ERR_REGISTRY_UNAVAILABLE', message: 'connect ECONNREFUSED (ERR_REGISTRY_CONNECTION)' }]);
  });

  it('fingerprints every scheme and the verification policy', async () => {
    const { registry, checker } = setup();
    const base = serviceOptions({ registry, checker });
    const a = await new DefaultVerificationService(base).fingerprint();
    const withPolicy = await new DefaultVerificationService({ ...base, verificationPolicy: { document: { version: '1', schemes: {}, policies: [] }, fingerprint: 'p1' } }).fingerprint();
    const other: EvidenceScheme = { name: 'other', trustRootNames: () => [], plan: () => ({ kind: 'none' }), verify: async () => ({ outcomes: [], unreachable: [] }), fingerprint: async () => 'o1' };
    const withScheme = await new DefaultVerificationService({ ...base, schemes: [...base.schemes, other] }).fingerprint();
    expect(new Set([a, withPolicy, withScheme]).size).toBe(3);
  });
});

describe('BoundedEvidenceRegistry', () => {
  const subject = IMAGE;
  const bounded = (registry: FakeRegistry, maxEvidence = 50) =>
    new BoundedEvidenceRegistry({ reader: registry, scheme: 'notary', repository: REPO, subject, maxEvidence, signal: new AbortController().signal });

  it('refuses a blob larger than the cap before fetching it, as proven-bad evidence', async () => {
    const registry = new FakeRegistry();
    const error = await bounded(registry).blob({ mediaType: 'x', digest: 'sha256:big', size: 32 * 1024 * 1024 + 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_EVIDENCE_TOO_LARGE', kind: 'verification-failed' });
    expect(registry.calls).toEqual([]);
  });

  it('turns a digest mismatch into "could not read" (inconclusive), never into proven-bad evidence', async () => {
    const registry = new FakeRegistry();
    registry.failures.set('blob sha256:x', new AppError('ERR_DIGEST_MISMATCH', 'verification-failed', 'digest mismatch'));
    const error = await bounded(registry).blob({ mediaType: 'x', digest: 'sha256:x', size: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_REGISTRY_UNAVAILABLE', kind: 'inconclusive', message: 'digest mismatch (ERR_DIGEST_MISMATCH)' });
  });

  it('hands over only manifests of the wanted artifact types, at most maxEvidence, and reports the limit', async () => {
    const registry = new FakeRegistry();
    registry.addSignature(subject.digest, 'sha256:sbom', 'other');
    for (const n of [1, 2, 3]) registry.addSignature(subject.digest, `sha256:s${n}`);
    const evidence = bounded(registry, 2);
    const seen: string[] = [];
    for await (const manifest of evidence.referrers(['application/vnd.cncf.notary.signature'])) seen.push(manifest.descriptor.digest);
    expect(seen).toEqual(['sha256:s1', 'sha256:s2']);
    expect(evidence.unreachable.map((r) => r.code)).toEqual(['ERR_SIGNATURE_LIMIT_REACHED']);
  });

  it('records a listing failure instead of throwing into the scheme', async () => {
    const registry = new FakeRegistry();
    registry.failures.set('referrers', new AppError('ERR_REGISTRY_TIMEOUT', 'inconclusive', 'timed out'));
    const evidence = bounded(registry);
    for await (const _ of evidence.referrers(['application/vnd.cncf.notary.signature'])) throw new Error('nothing expected');
    expect(evidence.unreachable).toEqual([{ code: 'ERR_REGISTRY_UNAVAILABLE', message: 'listing notary evidence failed: timed out (ERR_REGISTRY_TIMEOUT)' }]);
  });
});
