import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryResultCache } from '../shared/cache/index.js';
import { selectPolicy, type TrustPolicyDocument } from '../shared/policy/index.js';
import { FileTrustStore } from '../shared/truststore/index.js';
import { createCa } from '../test/helpers/pki/index.js';
import { cachedVerdict } from '../test/unit/cache/verdict-factory.js';
import { percentile, round } from './stats.js';

/** Scaling rows: selectPolicy over 1/100/1,000 statements, trust-store loads of 1/100/1,000 anchors, 1k/10k/100k cached verdicts. */
export async function measureScaling() {
  return { statements: statementRows(), certificates: await certificateRows(), cached_verdicts: await measureCacheScaling() };
}

function statementRows() {
  return [1, 100, 1000].map((n) => {
    const document: TrustPolicyDocument = {
      version: '1.0',
      trustPolicies: Array.from({ length: n }, (_, i) => ({ name: `s${i}`, registryScopes: [`r.io/repo${i}`], signatureVerification: { level: 'strict' as const }, trustStores: ['ca:x'], trustedIdentities: ['*'] })),
    };
    const last = `r.io/repo${n - 1}`;
    selectPolicy(document, last);
    const calls = 20_000;
    const start = performance.now();
    for (let i = 0; i < calls; i++) selectPolicy(document, last);
    return { statements: n, select_us: round(((performance.now() - start) * 1000) / calls) };
  });
}

/** First load (fingerprint) of one store with n EC anchors: total ms and the longest event-loop stall during it. */
async function certificateRows() {
  const anchors = Array.from({ length: 1000 }, (_, i) => createCa({ name: `CN=Scale ${i}, O=Bench, ST=WA, C=US`, keyType: 'ec-p256' }).pem);
  const rows = [];
  for (const n of [1, 100, 1000]) {
    const root = await mkdtemp(join(tmpdir(), 'trustgate-scale-'));
    try {
      const perFile = Math.ceil(n / 200);
      for (let f = 0; f * perFile < n; f++) {
        const dir = join(root, 'x509', 'ca', 'scale');
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, `a${String(f).padStart(4, '0')}.pem`), anchors.slice(f * perFile, Math.min(n, (f + 1) * perFile)).join('\n'));
      }
      const store = new FileTrustStore({ root });
      let stall = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        stall = Math.max(stall, now - last);
        last = now;
      }, 1);
      const start = performance.now();
      await store.fingerprint();
      const firstMs = performance.now() - start;
      clearInterval(timer);
      const warmStart = performance.now();
      for (let i = 0; i < 10_000; i++) await store.fingerprint();
      rows.push({ certificates: n, first_load_ms: round(firstMs), longest_stall_ms: round(stall), warm_fingerprint_us: round((performance.now() - warmStart) / 10) });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  return rows;
}

function collect(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Memory tier with 1k/10k/100k verdicts: heap, put p50/p99, hit p99 (random keys, then the same 10), listDue first page
 * after filling and the median of the next 20 pages. A discarded 1k round first, so the 1k row does not pay for JIT
 * warm-up that the larger rows would not.
 */
export async function measureCacheScaling() {
  const gc = collect();
  await cacheRow(1_000, gc);
  const rows = [];
  for (const n of [1_000, 10_000, 100_000]) rows.push(await cacheRow(n, gc));
  return rows;
}

async function cacheRow(n: number, gc: () => void) {
  const template = cachedVerdict();
  const at = new Date('2026-01-01T00:00:00Z');
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const cache = new MemoryResultCache({ maxEntries: n, clock: { now: () => at } });
  const keys = [];
  const puts: number[] = [];
  for (let i = 0; i < n; i++) {
    const digest = `sha256:${i.toString(16).padStart(64, '0')}`;
    const key = { ...template.key, digest };
    keys.push(key);
    const expiresAt = new Date(at.getTime() + 3_600_000 + ((i * 7919) % n) * 1000).toISOString();
    const p0 = performance.now();
    await cache.put({ ...template, key, verdict: { ...template.verdict, subject: { ...template.verdict.subject, digest }, expiresAt } });
    puts.push(performance.now() - p0);
  }
  const putP50Us = round(percentile(puts, 50) * 1000);
  const putP99Us = round(percentile(puts, 99) * 1000);
  puts.length = 0; // not part of the heap measured
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  const samples: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const key = keys[(i * 104_729) % n] as (typeof keys)[number];
    const t0 = performance.now();
    await cache.get(key, at);
    samples.push(performance.now() - t0);
  }
  const hot: number[] = [];
  gc();
  for (let i = 0; i < 20_000; i++) {
    const key = keys[i % 10] as (typeof keys)[number]; // admission's pattern: the same few images again and again
    const h0 = performance.now();
    await cache.get(key, at);
    hot.push(performance.now() - h0);
  }
  const before = new Date(at.getTime() + 10 * 86_400_000);
  const t0 = performance.now();
  let page = await cache.listDue(before, 100);
  const firstMs = performance.now() - t0;
  const next: number[] = [];
  for (let i = 0; i < 20 && page.continuation !== undefined; i++) {
    const t1 = performance.now();
    page = await cache.listDue(before, 100, page.continuation);
    next.push(performance.now() - t1);
  }
  return {
    verdicts: n,
    heap_mb: round(heapMb),
    rss_mb: round(process.memoryUsage().rss / 1024 / 1024),
    hit_p99_us: round(percentile(samples, 99) * 1000),
    hot_hit_p99_us: round(percentile(hot, 99) * 1000),
    put_p50_us: putP50Us,
    put_p99_us: putP99Us,
    list_due_first_page_ms: round(firstMs),
    list_due_next_page_ms: round(percentile(next, 50)),
  };
}
