import type { Meter } from '@opentelemetry/api';

/** A verdict's decision, as operators chart it. */
export type MetricDecision = 'allow' | 'deny' | 'inconclusive';
/** Where a verdict came from. */
export type CacheTier = 'memory' | 'table';

/**
 * The metrics port: what trustgate reports for operators to chart. The orchestrator (verification service, cache,
 * registry client, re-check) calls it; the implementation is a no-op or OpenTelemetry (Azure Monitor in Azure).
 * Attribute values are low-cardinality on purpose: error codes, decisions, registry hosts — never references or digests.
 */
export interface Metrics {
  /** One verdict. `reason` is the first reason's stable ERR_* code (none for allow); `trigger` the entry point. */
  verdict(decision: MetricDecision, reason: string | undefined, trigger: string): void;
  /** Wall time of one verification, in milliseconds; `cached` when answered from a cache tier. */
  verificationLatency(milliseconds: number, decision: MetricDecision, cached: boolean): void;
  /** One cache lookup in a tier: a hit or a miss. */
  cacheLookup(tier: CacheTier, hit: boolean): void;
  /** One failed registry exchange, by registry host and stable error code. */
  registryError(registry: string, code: string): void;
  /** Days until the nearest trust-anchor certificate expires, per trust store (negative once expired). */
  certificateExpiry(store: string, days: number): void;
}

export const noopMetrics: Metrics = {
  verdict: () => undefined,
  verificationLatency: () => undefined,
  cacheLookup: () => undefined,
  registryError: () => undefined,
  certificateExpiry: () => undefined,
};

/** Instrument names (Application Insights: customMetrics.name; attributes land in customDimensions). */
export const METRIC_NAMES = {
  verdicts: 'trustgate.verdicts',
  verificationDuration: 'trustgate.verification.duration',
  cacheLookups: 'trustgate.cache.lookups',
  registryErrors: 'trustgate.registry.errors',
  certificateDaysToExpiry: 'trustgate.certificate.days_to_expiry',
} as const;

/** Metrics recorded through an OpenTelemetry meter. */
export function openTelemetryMetrics(meter: Meter): Metrics {
  const verdicts = meter.createCounter(METRIC_NAMES.verdicts, { description: 'Verdicts by decision, reason and trigger' });
  const duration = meter.createHistogram(METRIC_NAMES.verificationDuration, {
    description: 'Verification wall time', unit: 'ms',
    advice: { explicitBucketBoundaries: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] },
  });
  const lookups = meter.createCounter(METRIC_NAMES.cacheLookups, { description: 'Verdict cache lookups by tier and outcome' });
  const registryErrors = meter.createCounter(METRIC_NAMES.registryErrors, { description: 'Failed registry exchanges by registry and code' });
  // A gauge reports the latest value per store at each collection.
  const expiry = new Map<string, number>();
  meter.createObservableGauge(METRIC_NAMES.certificateDaysToExpiry, { description: 'Days to the nearest trust-anchor expiry', unit: 'd' })
    .addCallback((result) => {
      for (const [store, days] of expiry) result.observe(days, { store });
    });
  return {
    verdict: (decision, reason, trigger) => verdicts.add(1, { decision, reason: reason ?? 'none', trigger }),
    verificationLatency: (milliseconds, decision, cached) => duration.record(milliseconds, { decision, cached }),
    cacheLookup: (tier, hit) => lookups.add(1, { tier, outcome: hit ? 'hit' : 'miss' }),
    registryError: (registry, code) => registryErrors.add(1, { registry, code }),
    certificateExpiry: (store, days) => void expiry.set(store, Math.floor(days)),
  };
}
