import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Runs `work` while sampling event-loop delay. Suites assert a loose ceiling on the worst stall (the findings were
 * 4–26 s of blocking), never a tight timing, so the assertion cannot flake on a loaded machine.
 */
export async function withLoopDelay<T>(work: () => Promise<T>): Promise<{ result: T; maxDelayMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    const result = await work();
    return { result, maxDelayMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

/** A stall this long would already have failed an admission review on a quiet machine; the findings were 10× worse. */
export const LOOSE_STALL_CEILING_MS = 1500;
