import { createHash } from 'node:crypto';
import type { CacheKey } from '../shared/cache/index.js';
import { parseReference } from '../shared/oci/index.js';
import type { Verdict } from '../shared/verification/index.js';
import { countingFetch, benchServices } from './services.js';

/**
 * Child process of the bench (run with --expose-gc): a fresh process holding only the composition root, like a Functions
 * worker. It verifies the given images for real, then fills the memory tier to `entries` verdicts that are deep copies of
 * those real verdicts under other digests (so each entry is its own objects, the size of a real one), collects garbage
 * and prints `{rssMb, baselineRssMb, heapUsedMb, baselineHeapUsedMb, entries, verdictJsonBytes}` on stdout (baseline:
 * after the composition root is built, before any verification).
 */
export interface RssProbeInput {
  env: Record<string, string>;
  now: string;
  references: string[];
  entries: number;
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const input = JSON.parse(process.env.TRUSTGATE_BENCH_RSS_INPUT ?? '') as RssProbeInput;
  const counter = countingFetch();
  const services = await benchServices(input.env, new Date(input.now), counter);
  collect();
  const baseline = process.memoryUsage();
  const verdicts: Verdict[] = [];
  for (const reference of input.references) verdicts.push(await services.verification.verify(reference));
  if (verdicts.some((v) => v.decision !== 'allow')) throw new Error('rss probe: a real verification did not allow');

  const fingerprint = await services.verification.fingerprint();
  let lastPinned = '';
  for (let i = verdicts.length; i < input.entries; i++) {
    const real = verdicts[i % verdicts.length] as Verdict;
    const ref = parseReference(real.subject.reference);
    const digest = `sha256:${createHash('sha256').update(`synthetic-${i}`).digest('hex')}`;
    const verdict: Verdict = structuredClone({ ...real, subject: { ...real.subject, reference: `${ref.registry}/${ref.repository}@${digest}`, digest } });
    const key: CacheKey = { registry: ref.registry, repository: ref.repository, digest, fingerprint };
    await services.cache.put({ key, verdict, source: 'request', storedAt: verdict.verifiedAt });
    lastPinned = verdict.subject.reference;
  }
  // The newest synthetic verdict must be a live memory hit that does not touch the registry.
  const sent = counter.count();
  const probe = await services.verification.verify(lastPinned);
  if (probe.decision !== 'allow' || counter.count() !== sent) throw new Error('rss probe: synthetic verdicts are not served from the memory tier');
  const size = (services.cache as { size?: number }).size;
  if (size !== input.entries) throw new Error(`rss probe: memory tier holds ${size} entries, expected ${input.entries}`);
  collect();
  const usage = process.memoryUsage();
  process.stdout.write(
    JSON.stringify({ rssMb: usage.rss / MB, baselineRssMb: baseline.rss / MB, heapUsedMb: usage.heapUsed / MB, baselineHeapUsedMb: baseline.heapUsed / MB, entries: size, verdictJsonBytes: JSON.stringify(verdicts[0]).length }),
  );
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('rss probe: run with --expose-gc');
  gc();
  gc();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
