import { startAzuriteTable } from '../host/azurite.js';
import type { BenchImage } from './fixture.js';
import { benchServices, countingFetch } from './services.js';
import { timed } from './stats.js';

/**
 * The Table Storage tier (Azurite in this process): instance A verifies the images (verdicts go to memory + table);
 * instance B, with an empty memory tier, then answers `verify(repo@sha256:…)` for each. Every B answer must be an allow
 * served without one registry request. Per-call milliseconds of B.
 */
export async function measureTableHits(env: Record<string, string>, now: Date, images: readonly BenchImage[]): Promise<number[]> {
  const azurite = await startAzuriteTable();
  try {
    const withTable = { ...env, TRUSTGATE_TABLE_CONNECTION_STRING: azurite.connectionString, TRUSTGATE_TABLE_NAME: 'benchverdicts' };
    const writer = await benchServices(withTable, now, countingFetch());
    for (const image of images) {
      const verdict = await writer.verification.verify(image.reference);
      if (verdict.decision !== 'allow') throw new Error(`bench: table writer ${image.reference} → ${verdict.decision}`);
    }
    const counter = countingFetch();
    const reader = await benchServices(withTable, now, counter);
    const samples: number[] = [];
    for (const image of images) {
      const { ms, value } = await timed(() => reader.verification.verify(image.pinned));
      if (value.decision !== 'allow') throw new Error(`bench: table hit ${image.pinned} → ${value.decision}`);
      samples.push(ms);
    }
    if (counter.count() !== 0) throw new Error(`bench: table hits sent ${counter.count()} registry requests`);
    return samples;
  } finally {
    await azurite.stop();
  }
}
