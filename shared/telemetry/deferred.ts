import type { Metrics } from './metrics.js';

/**
 * Metrics that start recording once `pending` resolves (the exporter takes seconds to load) and drop what comes
 * before: a verdict never waits for telemetry.
 */
export function deferredMetrics(pending: Promise<Metrics>): Metrics {
  let ready: Metrics | undefined;
  void pending.then((metrics) => {
    ready = metrics;
  });
  return {
    verdict: (...args) => ready?.verdict(...args),
    verificationLatency: (...args) => ready?.verificationLatency(...args),
    cacheLookup: (...args) => ready?.cacheLookup(...args),
    registryError: (...args) => ready?.registryError(...args),
    certificateExpiry: (...args) => ready?.certificateExpiry(...args),
  };
}
