import cluster from 'node:cluster';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { load, podReview, startServers } from './admission-http.js';
import { startBenchFixture } from './fixture.js';
import { log } from './stats.js';

/**
 * `node dist/bench/bench/profile-admission.js [seconds] [inFlight]`: one app worker under the warm 10-image Pod load
 * with --cpu-prof; the .cpuprofile lands in bench-profiles/ (open it in Chrome DevTools or summarise it).
 */
const seconds = Number(process.argv[2] ?? 5);
const inFlight = Number(process.argv[3] ?? 16);
const dir = resolve('bench-profiles');
await mkdir(dir, { recursive: true });
const fixture = await startBenchFixture(10);
try {
  cluster.setupPrimary({ execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  const env = { ...fixture.env, TRUSTGATE_ADMISSION_KEY: 'bench-admission-key-0123456789abcdef0123', BENCH_NOW_MS: String(fixture.now.getTime()) };
  const servers = await startServers('app', 1, env);
  const path = '/api/v1/admission/validate/bench-admission-key-0123456789abcdef0123';
  const body = podReview(fixture.images.map((image) => image.reference));
  await load(servers.port, path, body, 4, 1_000);
  const result = await load(servers.port, path, body, inFlight, seconds * 1000);
  log(`${Math.round(result.reviews / result.seconds)} reviews/s, ${result.notAllowed} not allowed`);
  await servers.stop();
} finally {
  await fixture.stop();
}
