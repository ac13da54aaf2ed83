import { startBenchFixture } from './fixture.js';
import { measureRss } from './rss.js';

/**
 * The RSS row alone (`node dist/bench/bench/rss-run.js`): 100 real verdicts, then the memory tier filled to 10k, in a
 * fresh process, as `npm run bench` measures `rss_mb_10k_verdicts`.
 */
const fixture = await startBenchFixture(100);
try {
  const rss = measureRss({ env: fixture.env, now: fixture.now.toISOString(), references: fixture.images.map((i) => i.reference), entries: 10_000 });
  process.stdout.write(`${JSON.stringify({ ...rss, heapKbPerVerdict: ((rss.heapUsedMb - rss.baselineHeapUsedMb) * 1024) / rss.entries })}\n`);
} finally {
  await fixture.stop();
}
