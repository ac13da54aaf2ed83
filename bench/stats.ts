/** Nearest-rank percentile (p in 0..100) of samples in milliseconds; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Rounds for the report: 3 significant decimals below 1 ms, 2 above. */
export function round(value: number): number {
  const digits = Math.abs(value) < 1 ? 4 : 2;
  return Number(value.toFixed(digits));
}

/** Milliseconds taken by `work`. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** Runs `work` over `items` with at most `limit` in flight; resolves when all are done (first error rejects). */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Progress and diagnostics go to stderr: stdout carries only the result JSON. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
