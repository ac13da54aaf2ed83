export { noopMetrics, openTelemetryMetrics, METRIC_NAMES } from './metrics.js';
export { deferredMetrics } from './deferred.js';
export type { Metrics, MetricDecision, CacheTier } from './metrics.js';
export { metricsFor, getMetrics, azureMonitorMeter } from './azure-monitor.js';
export type { TelemetryEnvironment, ExporterOptions, MeterLoader } from './azure-monitor.js';
export { invocationAwareLogger, runWithInvocationLog } from './invocation-log.js';
export type { InvocationLogTarget } from './invocation-log.js';
