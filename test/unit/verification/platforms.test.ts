import { describe, expect, it } from 'vitest';
import type { Descriptor } from '../../../shared/oci/index.js';
import { DefaultVerificationService } from '../../../shared/verification/index.js';
import { FakeRegistry, fakeChecker, serviceOptions } from './fakes.js';

const child = (n: number): Descriptor => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${String(n).repeat(64)}`, size: 10 });
const INDEX: Descriptor = { mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${'f'.repeat(64)}`, size: 300 };
const AMD64 = child(1);
const ARM64 = child(2);

function setup(signed: { index?: boolean; amd64?: boolean; arm64?: boolean }) {
  const registry = new FakeRegistry();
  registry.tags.set('multi', INDEX);
  registry.manifests.set(INDEX.digest, { schemaVersion: 2, mediaType: INDEX.mediaType, manifests: [AMD64, ARM64] });
  const verdicts: Record<string, { ok: boolean }> = {};
  for (const [name, subject] of [['index', INDEX], ['amd64', AMD64], ['arm64', ARM64]] as const) {
    registry.addSignature(subject.digest, `sha256:sig-${name}`);
    verdicts[`sha256:sig-${name}`] = { ok: signed[name] === true };
  }
  const { checker } = fakeChecker(verdicts);
  return new DefaultVerificationService(serviceOptions({ registry, checker }));
}

describe('multi-arch coverage (requirePlatforms)', () => {
  it('a verified index covers the platform manifests it lists', async () => {
    const service = setup({ index: true });
    expect((await service.verify('registry.test/app:multi')).decision).toBe('allow');
    expect((await service.verify('registry.test/app:multi', { requirePlatforms: 'all' })).decision).toBe('allow');
    expect((await service.verify('registry.test/app:multi', { requirePlatforms: [ARM64.digest] })).decision).toBe('allow');
  });

  it('a required platform the index does not list is not covered', async () => {
    const verdict = await setup({ index: true }).verify('registry.test/app:multi', { requirePlatforms: [child(3).digest] });
    expect(verdict.decision).toBe('deny');
    expect(verdict.reasons.map((r) => r.code)).toContain('ERR_PLATFORM_NOT_COVERED');
  });

  it('an unsigned index passes only when every required platform carries its own verified signature', async () => {
    expect((await setup({}).verify('registry.test/app:multi')).decision).toBe('deny');
    expect((await setup({ amd64: true, arm64: true }).verify('registry.test/app:multi', { requirePlatforms: 'all' })).decision).toBe('allow');
    expect((await setup({ amd64: true }).verify('registry.test/app:multi', { requirePlatforms: [AMD64.digest] })).decision).toBe('allow');
    const partly = await setup({ amd64: true }).verify('registry.test/app:multi', { requirePlatforms: 'all' });
    expect(partly.decision).toBe('deny');
    expect(partly.reasons.some((r) => r.message.startsWith(`platform ${ARM64.digest}`))).toBe(true);
  });
});
