import { measureHostile } from './hostile.js';
import { startBenchFixture } from './fixture.js';
import { benchServices, countingFetch } from './services.js';

/** `node dist/bench/bench/hostile-run.js [runs]`: only the attack scenario of `npm run bench`, `runs` times, as JSON lines. */
const runs = Number(process.argv[2] ?? 3);
const fixture = await startBenchFixture(50);
try {
  const services = await benchServices(fixture.env, fixture.now, countingFetch());
  for (let i = 0; i < runs; i++) {
    const result = await measureHostile(services, fixture, fixture.images, { admissions: 2_000, attackers: 4, deadlineMs: 2_500 });
    process.stdout.write(JSON.stringify({ event_loop_delay_p99_ms: result.event_loop_delay_p99_ms, admission_p99_ms: result.admission_p99_ms, over_deadline: result.admissions_over_deadline }) + '\n');
  }
} finally {
  await fixture.stop();
}
