import { fixedClock, silentLogger, type FetchLike } from '../shared/core/index.js';
import { createServices, loadSettings, type Services } from '../shared/config/index.js';

/** A fetch that counts what it sends: proves which phases never touch the registry. */
export interface CountingFetch {
  fetch: FetchLike;
  /** Requests sent so far. */
  count(): number;
}

export function countingFetch(inner: FetchLike = fetch): CountingFetch {
  let sent = 0;
  return {
    fetch: (input, init) => {
      sent++;
      return inner(input, init);
    },
    count: () => sent,
  };
}

/** The production composition root over `env`, with the PKI's fixed clock, a silent logger and a counting fetch. */
export async function benchServices(env: Record<string, string>, now: Date, counter: CountingFetch): Promise<Services> {
  return createServices(loadSettings(env), { clock: fixedClock(now), logger: silentLogger, fetch: counter.fetch });
}
