import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { percentile } from './stats.js';

/**
 * Milliseconds to import the built functions module in a fresh node process (median of `runs`), measured inside the
 * child around the dynamic import only (node's own start-up is not ours). The child gets no TRUSTGATE_* settings:
 * importing must neither read configuration nor do I/O, so it must succeed without any.
 */
export function measureImport(modulePath: string, runs: number): number {
  const url = pathToFileURL(modulePath).href;
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); process.stdout.write(String(performance.now() - t));`;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 });
    const ms = Number(child.stdout);
    if (child.status !== 0 || !Number.isFinite(ms)) throw new Error(`bench: importing ${modulePath} failed (${child.status}): ${child.stderr.slice(0, 2000)}`);
    samples.push(ms);
  }
  return percentile(samples, 50);
}
