import { describe, expect, it } from 'vitest';
import type { Descriptor, RepositoryRef } from '../../../shared/oci/index.js';
import { AppError } from '../../../shared/core/index.js';
import { DefaultVerificationService } from '../../../shared/verification/index.js';
import { FakeRegistry, IMAGE, fakeChecker, serviceOptions } from './fakes.js';

const REF = 'registry.test/app:v1';

/** The in-memory registry with a delay per read (chosen per digest) that counts reads in flight. */
class SlowRegistry extends FakeRegistry {
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly delayMs: (digest: string) => number = () => 5) {
    super();
    this.tags.set('v1', IMAGE);
  }

  override async fetchManifest(repo: RepositoryRef, wanted: Descriptor | string) {
    return this.slowly(typeof wanted === 'string' ? wanted : wanted.digest, () => super.fetchManifest(repo, wanted));
  }

  override async fetchBlob(repo: RepositoryRef, descriptor: Descriptor) {
    return this.slowly(descriptor.digest, () => super.fetchBlob(repo, descriptor));
  }

  count(kind: 'manifest' | 'blob'): number {
    return this.calls.filter((c) => c.startsWith(`${kind} `)).length;
  }

  private async slowly<T>(digest: string, read: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs(digest)));
      return await read();
    } finally {
      this.inFlight--;
    }
  }
}

const sigs = (n: number) => Array.from({ length: n }, (_, i) => `sha256:s${i + 1}`);

describe('evidence fetched ahead, bounded, examined in listed order (issue 11)', () => {
  it('tries signatures in listed order until one passes, whichever envelope arrives first', async () => {
    // Later signatures answer faster: completion order is the reverse of the listed order.
    const registry = new SlowRegistry((digest) => 40 - Number(/s(\d+)/.exec(digest)?.[1] ?? 0) * 5);
    for (const digest of sigs(6)) registry.addSignature(IMAGE.digest, digest);
    const { checker, seen } = fakeChecker({ 'sha256:s3': { ok: true }, 'sha256:s4': { ok: true }, 'sha256:s5': { ok: true } });
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.decision).toBe('allow');
    expect(seen.map((input) => Buffer.from(input.envelope).toString())).toEqual(['sha256:s1', 'sha256:s2', 'sha256:s3']);
    expect(verdict.evidence.map((e) => [e.evidence, e.ok])).toEqual([['sha256:s1', false], ['sha256:s2', false], ['sha256:s3', true]]);
    expect(verdict.reasons).toEqual([{ code: 'OK_SIGNATURE_VERIFIED', message: 'notary signature sha256:s3 verified (trust root app)' }]);
  });

  it('an allow reports nothing listed after the passing signature, however far ahead the reads went', async () => {
    const registry = new SlowRegistry((digest) => (digest.includes('s1') ? 30 : 1)); // s1 verifies slowly, the rest are read meanwhile
    for (const digest of sigs(4)) registry.addSignature(IMAGE.digest, digest);
    registry.failures.set('manifest sha256:s2', new AppError('ERR_MANIFEST_NOT_FOUND', 'verification-failed', 'gone')); // a failure, if it counted
    registry.failures.set('manifest sha256:s3', new AppError('ERR_REGISTRY_CONNECTION', 'inconclusive', 'reset'));
    const { checker } = fakeChecker({ 'sha256:s1': { ok: true } });
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.decision).toBe('allow');
    expect(registry.count('manifest')).toBeGreaterThan(1); // the later manifests were read ahead
    expect(verdict.evidence.map((e) => [e.evidence, e.ok])).toEqual([['sha256:s1', true]]);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['OK_SIGNATURE_VERIFIED']);
  });

  it('gives the same deny, with every failure in listed order, as a one-by-one loop', async () => {
    const registry = new SlowRegistry((digest) => (digest.includes('s2') ? 30 : 2));
    for (const digest of sigs(5)) registry.addSignature(IMAGE.digest, digest);
    registry.manifests.set('sha256:s4', { schemaVersion: 2, artifactType: 'application/vnd.cncf.notary.signature', config: { mediaType: 'application/vnd.oci.empty.v1+json' }, layers: [] });
    const { checker } = fakeChecker({});
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.decision).toBe('deny');
    expect(verdict.evidence.map((e) => [e.evidence, e.error?.code])).toEqual([
      ['sha256:s1', 'ERR_AUTHENTICITY'],
      ['sha256:s2', 'ERR_AUTHENTICITY'],
      ['sha256:s3', 'ERR_AUTHENTICITY'],
      ['sha256:s4', 'ERR_SIGNATURE_MANIFEST_INVALID'],
      ['sha256:s5', 'ERR_AUTHENTICITY'],
    ]);
  });

  it('keeps at most 4 registry reads of one subject in flight, and does overlap them', async () => {
    const registry = new SlowRegistry(() => 10);
    for (const digest of sigs(20)) registry.addSignature(IMAGE.digest, digest);
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker: fakeChecker({}).checker })).verify(REF);
    expect(verdict.decision).toBe('deny');
    expect(verdict.evidence).toHaveLength(20);
    expect(registry.maxInFlight).toBe(4);
    expect([registry.count('manifest'), registry.count('blob')]).toEqual([20, 20]);
  });

  it('a hostile subject with 1,000 signatures costs at most maxSignatures manifest and envelope reads', async () => {
    const registry = new SlowRegistry(() => 1);
    for (const digest of sigs(1000)) registry.addSignature(IMAGE.digest, digest);
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker: fakeChecker({}).checker, maxSignatures: 50 })).verify(REF);
    expect(verdict.decision).toBe('inconclusive');
    expect(verdict.reasons.map((r) => r.code)).toEqual(['ERR_SIGNATURE_LIMIT_REACHED']);
    expect(registry.count('manifest')).toBe(50);
    expect(registry.count('blob')).toBe(50);
    expect(registry.maxInFlight).toBeLessThanOrEqual(4);
  });

  it('a limit smaller than the window starts no read beyond it', async () => {
    const registry = new SlowRegistry(() => 1);
    for (const digest of sigs(10)) registry.addSignature(IMAGE.digest, digest);
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker: fakeChecker({}).checker, maxSignatures: 2 })).verify(REF);
    expect(verdict.decision).toBe('inconclusive');
    expect([registry.count('manifest'), registry.count('blob')]).toEqual([2, 2]);
  });

  it('stops reading soon after a signature passes: at most one window of reads past it', async () => {
    const registry = new SlowRegistry(() => 5);
    for (const digest of sigs(40)) registry.addSignature(IMAGE.digest, digest);
    const { checker, seen } = fakeChecker({ 'sha256:s1': { ok: true } });
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.decision).toBe('allow');
    expect(seen).toHaveLength(1);
    expect(registry.count('manifest')).toBeLessThanOrEqual(1 + 4 + 4);
    expect(registry.count('blob')).toBeLessThanOrEqual(1 + 4);
    expect(verdict.evidence.map((e) => e.evidence)).toEqual(['sha256:s1']);
  });
});
