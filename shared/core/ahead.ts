/** A promise's outcome as a value: work started ahead may be dropped unawaited without an unhandled rejection. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Starts `work` now and captures its outcome (never rejects). */
export function settle<T>(work: () => Promise<T>): Promise<Settled<T>> {
  try {
    return work().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  } catch (error) {
    return Promise.resolve({ ok: false, error });
  }
}

/**
 * Reads `source` up to `window` items ahead of the consumer, calling `start` on each as soon as it arrives (so the work
 * `start` begins — a fetch — overlaps the consumer's handling of earlier items), and yields the started items in
 * source order. The consumer sees exactly the order of the source; only the starting is early. When the consumer
 * stops, the source is closed (after the read in progress, if any) and items started but not yet yielded are dropped:
 * `start` must not have effects that matter when its result is never looked at (wrap promises with `settle`).
 */
export async function* readAhead<T, R>(source: AsyncIterable<T>, window: number, start: (item: T) => R): AsyncGenerator<R> {
  if (!Number.isInteger(window) || window < 1) throw new RangeError('readAhead window must be a positive integer');
  const iterator = source[Symbol.asyncIterator]();
  const queue: R[] = [];
  let done = false;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let pumping = false;
  let reading: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;

  const pump = async (): Promise<void> => {
    try {
      while (!done && !stopped && queue.length < window) {
        const next = await iterator.next();
        if (next.done) done = true;
        else queue.push(start(next.value));
        wake?.();
      }
    } catch (error) {
      failure = { error };
      done = true;
      wake?.();
    } finally {
      pumping = false;
    }
  };

  try {
    for (;;) {
      if (!pumping && !done) {
        pumping = true;
        reading = pump();
      }
      if (queue.length === 0) {
        if (done) {
          if (failure) throw failure.error;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      yield queue.shift() as R;
    }
  } finally {
    stopped = true;
    await reading;
    if (!done) await iterator.return?.();
  }
}
