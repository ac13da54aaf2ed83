import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { measureCli } from './cli.js';
import { chainSignatureChecks } from '../shared/pki/index.js';
import { measureAdmissionHttp, measureStampede } from './admission-http.js';
import { measureCold, measureRate, verifyAllowed } from './cold.js';
import { cpuMeter } from './cpu.js';
import { startBenchFixture, type BenchFixture } from './fixture.js';
import { Floor } from './floor.js';
import { evaluateGoals } from './goals.js';
import { measureHostile } from './hostile.js';
import { measureImport } from './import-time.js';
import { measureRss } from './rss.js';
import { measureScaling } from './scaling.js';
import { benchServices, countingFetch } from './services.js';
import { log, percentile, round, timed } from './stats.js';
import { measureTableHits } from './table.js';
import { measureWarm } from './warm.js';

/**
 * `npm run bench`: the verification service against a real docker-registry on loopback (started and stopped here).
 * Prints one JSON object on stdout; progress on stderr. Sizes are chosen to finish in about a minute on 2 cores.
 */
const WARMUP_IMAGES = 20;
const LATENCY_IMAGES = 300;
const THROUGHPUT_IMAGES = 1200;
const CONCURRENCY = 32;
const WARM_CALLS = 20_000;
const INLINE_STORE_IMAGES = 100;
const RSS_REAL_VERDICTS = 100;
const RSS_ENTRIES = 10_000;
const TABLE_IMAGES = 200;
const IMPORT_RUNS = 5;
const ADMISSION_IMAGES = 10;
const ADMISSION_WORKERS = 2;
const HOSTILE = { admissions: 2_000, attackers: 4, deadlineMs: 2_500 };
const FUNCTIONS_MODULE = resolve('dist/functions/index.js');

async function main(): Promise<void> {
  if (!existsSync(FUNCTIONS_MODULE)) throw new Error(`bench: ${FUNCTIONS_MODULE} is missing: run npm run build first`);
  log('import time of the functions module (fresh processes)');
  const importMs = measureImport(FUNCTIONS_MODULE, IMPORT_RUNS);

  const total = WARMUP_IMAGES + LATENCY_IMAGES + THROUGHPUT_IMAGES;
  log(`pushing ${total} signed images to docker-registry`);
  const { ms: pushMs, value: fixture } = await timed(() => startBenchFixture(total));
  try {
    process.stdout.write(JSON.stringify(await measureAll(fixture, importMs, pushMs), null, 2) + '\n');
  } finally {
    await fixture.stop();
  }
}

async function measureAll(fixture: BenchFixture, importMs: number, pushMs: number) {
  const warmup = fixture.images.slice(0, WARMUP_IMAGES);
  const latency = fixture.images.slice(WARMUP_IMAGES, WARMUP_IMAGES + LATENCY_IMAGES);
  const throughput = fixture.images.slice(WARMUP_IMAGES + LATENCY_IMAGES);
  const counter = countingFetch();
  const services = await benchServices(fixture.env, fixture.now, counter);
  const floor = new Floor(fixture.registry.url, fixture.repository, fixture.chain.root.der);
  const cpu = cpuMeter(fixture.registry.host);

  log(`cold verifications and floor, one at a time (${LATENCY_IMAGES} images)`);
  const sent = counter.count();
  const cold = await measureCold(services, floor, latency, warmup);
  const requestsPerVerify = (counter.count() - sent) / (warmup.length + latency.length);

  log(`throughput: ${THROUGHPUT_IMAGES} new images, then the floor over ${warmup.length + latency.length}, concurrency ${CONCURRENCY}`);
  let cpuWindow = cpu.start();
  const chainChecks = chainSignatureChecks();
  const rate = await measureRate(throughput, CONCURRENCY, (image) => verifyAllowed(services, image.reference));
  const rateCpu = cpuWindow();
  // Certificate signature checks per verification, plus the envelope signature itself (one signature per image).
  const rsaPerSignature = (chainSignatureChecks() - chainChecks) / throughput.length + 1;
  cpuWindow = cpu.start();
  const floorRate = await measureRate([...warmup, ...latency], CONCURRENCY, (image) => floor.run(image));
  const floorCpu = cpuWindow();
  const perImage = (ms: number | undefined, images: number) => (ms === undefined ? null : round(ms / images));

  log(`memory-tier hits (${WARM_CALLS} calls), then the same with an inline trust store`);
  const warm = await measureWarm(services, counter, latency, WARM_CALLS);
  const inline = await measureInlineStore(fixture, floor, latency.slice(0, INLINE_STORE_IMAGES), warmup);

  log(`RSS with ${RSS_ENTRIES} verdicts in the memory tier (fresh process)`);
  const rss = measureRss({ env: fixture.env, now: fixture.now.toISOString(), references: latency.slice(0, RSS_REAL_VERDICTS).map((i) => i.reference), entries: RSS_ENTRIES });

  log(`Table Storage tier hits (Azurite in-process, ${TABLE_IMAGES} images)`);
  const table = await measureTableHits(fixture.env, fixture.now, throughput.slice(0, TABLE_IMAGES));

  log('CLI whole-process times against node -e 0 (hyperfine)');
  const cli = await measureCli(fixture);
  const podImages = latency.slice(0, ADMISSION_IMAGES).map((image) => image.reference);
  log(`warm admission over HTTP (${ADMISSION_IMAGES}-image Pod, ${ADMISSION_WORKERS} workers, 1/16/64 in flight) against a node:http floor`);
  const admission = await measureAdmissionHttp(fixture, podImages, ADMISSION_WORKERS);
  log('stampede: the same Pod at 64 in flight while tag resolutions and the trust-store look expire every second');
  const stampede = await measureStampede(fixture, podImages, ADMISSION_WORKERS);
  log('scaling rows: statements, trust anchors, cached verdicts');
  const scaling = await measureScaling();
  const at64 = admission.find((row) => row.in_flight === 64);
  const coldCpuRatio = perImage(rateCpu.nodeMs, throughput.length) !== null && perImage(floorCpu.nodeMs, warmup.length + latency.length) !== null
    ? round((rateCpu.nodeMs / throughput.length) / (floorCpu.nodeMs / (warmup.length + latency.length))) : Number.NaN;
  log(`attack scenario: ${HOSTILE.admissions} warm admission answers while ${HOSTILE.attackers} hostile loops run`);
  const hostile = await measureHostile(services, fixture, latency.slice(0, 50), HOSTILE);

  const coldP50 = percentile(cold.coldMs, 50);
  const floorP50 = percentile(cold.floorMs, 50);
  const result = {
    cold_verify_p50_ms: round(coldP50),
    cold_verify_p99_ms: round(percentile(cold.coldMs, 99)),
    floor_p50_ms: round(floorP50),
    cold_over_floor: round(coldP50 / floorP50),
    cold_verifications_per_s: Math.round(rate),
    warm_verify_p99_ms: round(percentile(warm, 99)),
    rss_mb_10k_verdicts: round(rss.rssMb),
    import_ms: round(importMs),
    cli_help_over_node: cli.help_over_node,
    cli_verify_over_node: cli.verify_over_node,
    table_hit_ms_p50: round(percentile(table, 50)),
    table_hit_ms_p99: round(percentile(table, 99)),
    admission_reviews_per_s: at64?.reviews_per_s ?? Number.NaN,
    admission_cpu_over_floor: at64?.cpu_over_floor ?? Number.NaN,
    stampede_not_allowed: stampede.not_allowed,
    stampede_heads_per_window_over_tags: round(stampede.heads_per_window_per_worker / stampede.distinct_tags),
    cold_cpu_over_floor_concurrent: coldCpuRatio,
    rsa_operations_per_signature: round(rsaPerSignature),
    admission,
    stampede,
    scaling,
    hostile_event_loop_delay_p99_ms: hostile.event_loop_delay_p99_ms,
    hostile_admission_p99_ms: hostile.admission_p99_ms,
    hostile_admissions_over_deadline: hostile.admissions_over_deadline,
    images: fixture.images.length,
    concurrency: CONCURRENCY,
    node: process.version,
    details: {
      floor_p99_ms: round(percentile(cold.floorMs, 99)),
      floor_verifications_per_s: Math.round(floorRate),
      registry_requests_per_cold_verify: round(requestsPerVerify),
      floor_requests_per_image: 4,
      node_cpu_ms_per_cold_verify: round(cold.coldCpuMs),
      node_cpu_ms_per_floor: round(cold.floorCpuMs),
      node_cpu_ms_per_cold_verify_concurrent: perImage(rateCpu.nodeMs, throughput.length),
      node_cpu_ms_per_floor_concurrent: perImage(floorCpu.nodeMs, warmup.length + latency.length),
      registry_cpu_ms_per_cold_verify: perImage(rateCpu.registryMs, throughput.length),
      registry_cpu_ms_per_floor: perImage(floorCpu.registryMs, warmup.length + latency.length),
      warm_verify_p50_ms: round(percentile(warm, 50)),
      inline_store_cold_over_floor: round(percentile(inline.coldMs, 50) / percentile(inline.floorMs, 50)),
      inline_store_node_cpu_ms_per_cold_verify: round(inline.coldCpuMs),
      inline_store_warm_p50_ms: round(percentile(inline.warmMs, 50)),
      inline_store_warm_p99_ms: round(percentile(inline.warmMs, 99)),
      rss_baseline_mb: round(rss.baselineRssMb),
      rss_heap_used_mb: round(rss.heapUsedMb),
      rss_baseline_heap_used_mb: round(rss.baselineHeapUsedMb),
      heap_kb_per_verdict: round(((rss.heapUsedMb - rss.baselineHeapUsedMb) * 1024) / rss.entries),
      verdict_json_bytes: rss.verdictJsonBytes,
      push_s: round(pushMs / 1000),
      cli,
      hostile,
      samples: { cold: cold.coldMs.length, warm: warm.length, table: table.length, import_runs: IMPORT_RUNS },
    },
  };
  return { ...result, goals: evaluateGoals(result) };
}

/**
 * Cold (against the floor, interleaved) and memory-tier hits again, from a service whose trust store is inline
 * (TRUSTGATE_TRUST_STORE_INLINE, same root): isolates what the Notation-layout directory store costs per verification
 * (it lists its directories and lstats its files on every call to fingerprint and load the stores).
 */
async function measureInlineStore(fixture: BenchFixture, floor: Floor, images: BenchFixture['images'], warmup: BenchFixture['images']) {
  const { TRUSTGATE_TRUST_STORE: _dir, ...rest } = fixture.env;
  const env = { ...rest, TRUSTGATE_TRUST_STORE_INLINE: JSON.stringify({ 'ca:bench': fixture.chain.root.pem }) };
  const counter = countingFetch();
  const services = await benchServices(env, fixture.now, counter);
  const cold = await measureCold(services, floor, images, warmup);
  return { ...cold, warmMs: await measureWarm(services, counter, images, WARM_CALLS) };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
