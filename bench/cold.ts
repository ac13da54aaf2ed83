import type { Services } from '../shared/config/index.js';
import type { BenchImage } from './fixture.js';
import type { Floor } from './floor.js';
import { mapConcurrent, timed } from './stats.js';

export interface ColdSamples {
  coldMs: number[];
  floorMs: number[];
  /** This process's CPU (user + system, all threads) per cold verification / per floor pass, in ms. */
  coldCpuMs: number;
  floorCpuMs: number;
}

/**
 * One image at a time: a full verification by tag (verdict-cache miss: every image is new) and the floor for the same
 * image, alternating which goes first so neither always finds the registry warmer. `warmup` images run first unrecorded
 * (JIT, connections, parsed certificates, the per-repository "no referrers API" memory — all warm in production).
 */
export async function measureCold(services: Services, floor: Floor, images: readonly BenchImage[], warmup: readonly BenchImage[]): Promise<ColdSamples> {
  for (const image of warmup) {
    await verifyAllowed(services, image.reference);
    await floor.run(image);
  }
  const coldMs: number[] = [];
  const floorMs: number[] = [];
  const cpu = { cold: 0, floor: 0 };
  const sample = async (work: () => Promise<void>, into: number[], kind: keyof typeof cpu) => {
    const before = process.cpuUsage();
    into.push((await timed(work)).ms);
    const used = process.cpuUsage(before);
    cpu[kind] += (used.user + used.system) / 1000;
  };
  for (const [i, image] of images.entries()) {
    const cold = () => sample(() => verifyAllowed(services, image.reference), coldMs, 'cold');
    const raw = () => sample(() => floor.run(image), floorMs, 'floor');
    if (i % 2 === 0) {
      await cold();
      await raw();
    } else {
      await raw();
      await cold();
    }
  }
  return { coldMs, floorMs, coldCpuMs: cpu.cold / images.length, floorCpuMs: cpu.floor / images.length };
}

/** `work` over distinct images with at most `concurrency` in flight; completions per second of wall time. */
export async function measureRate(images: readonly BenchImage[], concurrency: number, work: (image: BenchImage) => Promise<void>): Promise<number> {
  const { ms } = await timed(() => mapConcurrent(images, concurrency, work));
  return (images.length / ms) * 1000;
}

/** Verifies and insists on `allow`: a bench that measured failures would measure the wrong thing. */
export async function verifyAllowed(services: Services, reference: string): Promise<void> {
  const verdict = await services.verification.verify(reference);
  if (verdict.decision !== 'allow') throw new Error(`bench: ${reference} → ${verdict.decision} ${JSON.stringify(verdict.reasons)}`);
}
