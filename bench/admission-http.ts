import cluster, { type Worker } from 'node:cluster';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { procCpuMs } from './cpu.js';
import type { BenchFixture } from './fixture.js';
import { log, percentile, round } from './stats.js';

/**
 * Warm admission over HTTP: a 10-image Pod (tags, all verified and cached) sent as AdmissionReview to the local
 * host, against a minimal node:http floor that parses the same body and returns a fixed review, both served by
 * `workers` node:cluster processes (one per core, as `npm start` does). The load generator runs in this process.
 */
const ADMISSION_KEY = 'bench-admission-key-0123456789abcdef0123';
const PATH = `/api/v1/admission/validate/${ADMISSION_KEY}`;
const SERVER = resolve(import.meta.dirname, 'admission-server.js');

export interface Servers {
  port: number;
  workers: Worker[];
  cpuMs(): number;
  stats(): Promise<{ heads: number; requests: number }>;
  stop(): Promise<void>;
}

export async function startServers(mode: 'app' | 'floor', workers: number, env: Record<string, string>): Promise<Servers> {
  cluster.setupPrimary({ ...cluster.settings, exec: SERVER, silent: false });
  const started = await Promise.all(Array.from({ length: workers }, () => new Promise<{ worker: Worker; port: number }>((ok, fail) => {
    const worker = cluster.fork({ ...env, BENCH_MODE: mode });
    worker.once('message', (message: { port?: number }) => (message.port ? ok({ worker, port: message.port }) : fail(new Error('no port'))));
    worker.once('exit', (code) => fail(new Error(`bench server exited (${code})`)));
  })));
  const ports = new Set(started.map((s) => s.port));
  if (ports.size !== 1) throw new Error(`bench: workers listen on different ports ${[...ports].join(',')}`);
  const list = started.map((s) => s.worker);
  return {
    port: started[0]?.port as number,
    workers: list,
    cpuMs: () => list.reduce((sum, w) => sum + (procCpuMs(w.process.pid as number) ?? Number.NaN), 0),
    stats: async () => {
      const all = await Promise.all(list.map((w) => new Promise<{ heads: number; requests: number }>((ok) => {
        w.once('message', (message: { stats: { heads: number; requests: number } }) => ok(message.stats));
        w.send('stats');
      })));
      return all.reduce((a, b) => ({ heads: a.heads + b.heads, requests: a.requests + b.requests }), { heads: 0, requests: 0 });
    },
    stop: async () => {
      await Promise.all(list.map((w) => new Promise<void>((ok) => {
        w.removeAllListeners('exit');
        w.once('exit', () => ok());
        w.kill('SIGTERM');
      })));
    },
  };
}

export function podReview(images: readonly string[], uid = '00000000-0000-0000-0000-000000000001'): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid, kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' },
      namespace: 'bench', name: 'bench-pod', operation: 'CREATE', userInfo: { username: 'bench' },
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bench-pod', namespace: 'bench' }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } },
    },
  });
}

export interface LoadResult {
  reviews: number;
  seconds: number;
  latenciesMs: number[];
  /** Answers that were not `allowed: true` (or not 200). */
  notAllowed: number;
}

/** `concurrency` keep-alive loops POSTing `body` for `durationMs`. */
export async function load(port: number, path: string, body: string, concurrency: number, durationMs: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  let notAllowed = 0;
  const payload = Buffer.from(body);
  const started = performance.now();
  const end = started + durationMs;
  const one = () => new Promise<void>((ok, fail) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        latenciesMs.push(performance.now() - t0);
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200 || !text.includes('"allowed":true')) notAllowed++;
        ok();
      });
    });
    req.on('error', fail);
    req.end(payload);
  });
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) await one();
  }));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { reviews: latenciesMs.length, seconds, latenciesMs, notAllowed };
}

export interface AdmissionRow {
  in_flight: number;
  reviews_per_s: number;
  p99_ms: number;
  cpu_ms_per_review: number;
  floor_reviews_per_s: number;
  floor_p99_ms: number;
  floor_cpu_ms_per_review: number;
  rate_over_floor: number;
  cpu_over_floor: number;
  not_allowed: number;
}

const DURATION_MS = 3_000;

async function measured(servers: Servers, body: string, concurrency: number) {
  await load(servers.port, PATH, body, concurrency, 300); // warm connections and JIT at this concurrency
  const cpu0 = servers.cpuMs();
  const result = await load(servers.port, PATH, body, concurrency, DURATION_MS);
  return { result, cpuMsPerReview: (servers.cpuMs() - cpu0) / result.reviews };
}

/** Warm admission at 1/16/64 in flight against the floor; every answer must allow. */
export async function measureAdmissionHttp(fixture: BenchFixture, images: readonly string[], workers: number): Promise<AdmissionRow[]> {
  const env = { ...fixture.env, TRUSTGATE_ADMISSION_KEY: ADMISSION_KEY, BENCH_NOW_MS: String(fixture.now.getTime()) };
  const body = podReview(images);
  const rows: AdmissionRow[] = [];
  const floor = await startServers('floor', workers, env);
  const floorRuns = new Map<number, Awaited<ReturnType<typeof measured>>>();
  try {
    for (const c of [1, 16, 64]) floorRuns.set(c, await measured(floor, body, c));
  } finally {
    await floor.stop();
  }
  const app = await startServers('app', workers, env);
  try {
    log(`admission over HTTP: warming ${workers} workers`);
    await load(app.port, PATH, body, 4, 1_500); // first reviews verify the 10 images in every worker (cold), then hits
    for (const c of [1, 16, 64]) {
      const { result, cpuMsPerReview } = await measured(app, body, c);
      const f = floorRuns.get(c) as Awaited<ReturnType<typeof measured>>;
      const rate = result.reviews / result.seconds;
      const floorRate = f.result.reviews / f.result.seconds;
      rows.push({
        in_flight: c,
        reviews_per_s: Math.round(rate),
        p99_ms: round(percentile(result.latenciesMs, 99)),
        cpu_ms_per_review: round(cpuMsPerReview),
        floor_reviews_per_s: Math.round(floorRate),
        floor_p99_ms: round(percentile(f.result.latenciesMs, 99)),
        floor_cpu_ms_per_review: round(f.cpuMsPerReview),
        rate_over_floor: round(rate / floorRate),
        cpu_over_floor: round(cpuMsPerReview / f.cpuMsPerReview),
        not_allowed: result.notAllowed,
      });
    }
  } finally {
    await app.stop();
  }
  return rows;
}

/**
 * Stampede: the same warm Pod at 64 in flight for `seconds`, while tag resolutions (TRUSTGATE_TAG_CACHE_S=1) and the
 * trust-store look (TRUSTGATE_TRUST_STORE_RECHECK_MS=1000) expire every second. Counts non-allow answers and
 * registry HEADs per one-second window (goal: ≤ distinct tags per worker).
 */
export async function measureStampede(fixture: BenchFixture, images: readonly string[], workers: number, seconds = 6) {
  const env = {
    ...fixture.env, TRUSTGATE_ADMISSION_KEY: ADMISSION_KEY, BENCH_NOW_MS: String(fixture.now.getTime()),
    TRUSTGATE_TAG_CACHE_S: '1', TRUSTGATE_TRUST_STORE_RECHECK_MS: '1000',
  };
  const body = podReview(images);
  const app = await startServers('app', workers, env);
  try {
    await load(app.port, PATH, body, 4, 1_500);
    const before = await app.stats();
    const result = await load(app.port, PATH, body, 64, seconds * 1000);
    const after = await app.stats();
    const heads = after.heads - before.heads;
    return {
      seconds: round(result.seconds),
      reviews: result.reviews,
      not_allowed: result.notAllowed,
      distinct_tags: new Set(images).size,
      workers,
      registry_heads: heads,
      heads_per_window_per_worker: round(heads / result.seconds / workers),
      p99_ms: round(percentile(result.latenciesMs, 99)),
    };
  } finally {
    await app.stop();
  }
}
