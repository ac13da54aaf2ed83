import { measureHostile } from './hostile.js';
import { startBenchFixture } from './fixture.js';
import { benchServices, countingFetch } from './services.js';

/**
 * `node dist/bench/bench/hostile-run.js [runs] [verified]`: only the attack scenario of `npm run bench`, `runs` times,
 * as JSON lines, after `verified` images were verified by the same services (the full bench has verified 1,520 by then).
 */
const runs = Number(process.argv[2] ?? 3);
const verified = Number(process.argv[3] ?? 50);
const fixture = await startBenchFixture(Math.max(50, verified));
try {
  const services = await benchServices(fixture.env, fixture.now, countingFetch());
  for (const image of fixture.images.slice(0, verified)) await services.verification.verify(image.reference);
  for (let i = 0; i < runs; i++) {
    const result = await measureHostile(services, fixture, fixture.images.slice(0, 50), { admissions: 2_000, attackers: 4, deadlineMs: 2_500 });
    process.stdout.write(JSON.stringify({ event_loop_delay_p99_ms: result.event_loop_delay_p99_ms, admission_p99_ms: result.admission_p99_ms, over_deadline: result.admissions_over_deadline }) + '\n');
  }
} finally {
  await fixture.stop();
}
