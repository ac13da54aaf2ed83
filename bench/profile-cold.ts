import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { chainSignatureChecks } from '../shared/pki/index.js';
import { measureRate, verifyAllowed } from './cold.js';
import { cpuMeter, type CpuMeter } from './cpu.js';
import { startBenchFixture } from './fixture.js';
import { Floor } from './floor.js';
import { benchServices, countingFetch } from './services.js';
import { log, round } from './stats.js';

/**
 * `node dist/bench/bench/profile-cold.js [images] [--profile]`: only the cold-throughput part of `npm run bench` (new
 * images verified 32 in flight, then the floor over the same images at 32, alternating in chunks of 100) and the ratio of node CPU per verification to
 * the floor's — the `cold_cpu_over_floor_concurrent` goal in a minute instead of five. With `--profile`, no alternating: each
 * phase runs whole under the V8 profiler and the .cpuprofile lands in bench-profiles/ (summarise it with summarise-profile.js).
 */
const WARMUP = 20;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CHUNK = 100;
const count = Number(process.argv[2] ?? 600);
const profile = process.argv.includes('--profile');

const fixture = await startBenchFixture(WARMUP + count);
try {
  const counter = countingFetch();
  const services = await benchServices(fixture.env, fixture.now, counter);
  const floor = new Floor(fixture.registry.url, fixture.repository, fixture.chain.root.der);
  const cpu = cpuMeter(fixture.registry.host);
  const warmup = fixture.images.slice(0, WARMUP);
  const images = fixture.images.slice(WARMUP);
  for (const image of warmup) {
    await verifyAllowed(services, image.reference);
    await floor.run(image);
  }
  const session = profile ? new Session() : undefined;
  session?.connect();
  await session?.post('Profiler.enable');
  log(`cold and floor over ${images.length} new images, ${CONCURRENCY} in flight, alternating in chunks of ${CHUNK}`);
  const sent = counter.count();
  const checks = chainSignatureChecks();
  const coldCpu = { nodeMs: 0, registryMs: 0 as number | undefined };
  const floorCpu = { nodeMs: 0, registryMs: 0 as number | undefined };
  let coldRate = 0;
  let floorRate = 0;
  // Alternating chunks: the machine's load drifts, and both sides should see the same drift.
  const size = profile ? images.length : CHUNK; // a profile covers all of one phase
  for (let from = 0; from < images.length; from += size) {
    const chunk = images.slice(from, from + size);
    const cold = await phase(cpu, from === 0 ? session : undefined, 'cold', () => measureRate(chunk, CONCURRENCY, (image) => verifyAllowed(services, image.reference)));
    const raw = await phase(cpu, from === 0 ? session : undefined, 'floor', () => measureRate(chunk, CONCURRENCY, (image) => floor.run(image)));
    add(coldCpu, cold.cpu);
    add(floorCpu, raw.cpu);
    coldRate += (cold.rate * chunk.length) / images.length;
    floorRate += (raw.rate * chunk.length) / images.length;
  }
  const requests = (counter.count() - sent) / images.length;
  const rsa = (chainSignatureChecks() - checks) / images.length + 1;
  session?.disconnect();
  const perImage = (ms: number | undefined) => (ms === undefined ? null : round(ms / images.length));
  process.stdout.write(
    JSON.stringify(
      {
        cold_cpu_over_floor_concurrent: round(coldCpu.nodeMs / floorCpu.nodeMs),
        node_cpu_ms_per_cold_verify_concurrent: perImage(coldCpu.nodeMs),
        node_cpu_ms_per_floor_concurrent: perImage(floorCpu.nodeMs),
        registry_cpu_ms_per_cold_verify: perImage(coldCpu.registryMs),
        registry_cpu_ms_per_floor: perImage(floorCpu.registryMs),
        cold_verifications_per_s: Math.round(coldRate),
        floor_verifications_per_s: Math.round(floorRate),
        registry_requests_per_cold_verify: round(requests),
        rsa_operations_per_signature: round(rsa),
        images: images.length,
        profiled: profile,
      },
      null,
      2,
    ) + '\n',
  );
} finally {
  await fixture.stop();
}

function add(total: { nodeMs: number; registryMs: number | undefined }, used: { nodeMs: number; registryMs: number | undefined }): void {
  total.nodeMs += used.nodeMs;
  total.registryMs = total.registryMs === undefined || used.registryMs === undefined ? undefined : total.registryMs + used.registryMs;
}

/** One measured phase: CPU of this process and the registry, under the profiler when a session is given. */
async function phase(meter: CpuMeter, session: Session | undefined, name: string, work: () => Promise<number>) {
  if (session) await session.post('Profiler.start');
  const window = meter.start();
  const rate = await work();
  const used = window();
  if (session) {
    const { profile: cpuProfile } = await session.post('Profiler.stop');
    const dir = resolve('bench-profiles');
    await mkdir(dir, { recursive: true });
    const path = resolve(dir, `${name}-${Date.now()}.cpuprofile`);
    await writeFile(path, JSON.stringify(cpuProfile));
    log(`${name} profile: ${path}`);
  }
  return { rate, cpu: used };
}
