import type { Services } from '../shared/config/index.js';
import type { BenchImage } from './fixture.js';
import type { CountingFetch } from './services.js';

/**
 * Memory-tier hits: `verify(repo@sha256:…)` of images this service already verified, `calls` times round robin.
 * Throws if any call reached the registry or did not allow. Per-call milliseconds.
 */
export async function measureWarm(services: Services, counter: CountingFetch, verified: readonly BenchImage[], calls: number): Promise<number[]> {
  const before = counter.count();
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const image = verified[i % verified.length] as BenchImage;
    const start = performance.now();
    const verdict = await services.verification.verify(image.pinned);
    samples.push(performance.now() - start);
    if (verdict.decision !== 'allow') throw new Error(`bench: warm ${image.pinned} → ${verdict.decision}`);
  }
  if (counter.count() !== before) throw new Error(`bench: warm hits sent ${counter.count() - before} registry requests`);
  return samples;
}
