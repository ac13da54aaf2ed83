import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RssProbeInput } from './rss-probe.js';

export interface RssResult {
  rssMb: number;
  baselineRssMb: number;
  heapUsedMb: number;
  baselineHeapUsedMb: number;
  entries: number;
  verdictJsonBytes: number;
}

/** Runs rss-probe.js in a fresh node process (see there) and returns what it measured. */
export function measureRss(input: RssProbeInput): RssResult {
  const probe = fileURLToPath(new URL('./rss-probe.js', import.meta.url));
  const child = spawnSync(process.execPath, ['--expose-gc', probe], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', TRUSTGATE_BENCH_RSS_INPUT: JSON.stringify(input) },
    timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`bench: rss probe failed (${child.status}): ${child.stderr.slice(0, 2000)}`);
  return JSON.parse(child.stdout) as RssResult;
}
