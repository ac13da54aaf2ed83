import type { Meter } from '@opentelemetry/api';
import { silentLogger, type Logger } from '../core/index.js';
import { noopMetrics, openTelemetryMetrics, type Metrics } from './metrics.js';

/** The settings that switch telemetry on (set by infra/modules/function-app.bicep). */
export interface TelemetryEnvironment {
  APPLICATIONINSIGHTS_CONNECTION_STRING?: string | undefined;
  /** `Authorization=AAD` (the template disables key-based ingestion): export with the managed identity. */
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING?: string | undefined;
  AZURE_CLIENT_ID?: string | undefined;
}

export interface ExporterOptions {
  connectionString: string;
  /** Export with Entra ID (managed identity), optionally a user-assigned one. */
  entra: { clientId: string | undefined } | undefined;
}

/** Starts an OpenTelemetry pipeline and returns its meter. */
export type MeterLoader = (options: ExporterOptions) => Promise<Meter>;

/**
 * Azure Monitor's OpenTelemetry distro. It costs seconds to import (about 7 s measured on a loaded 2-core machine), so
 * it loads only here, on the first metrics call with a connection string, never at module import (Flex's 30 s init
 * budget, CLI start-up).
 */
export const azureMonitorMeter: MeterLoader = async ({ connectionString, entra }) => {
  const [{ useAzureMonitor }, { metrics }] = await Promise.all([import('@azure/monitor-opentelemetry'), import('@opentelemetry/api')]);
  const credential = entra === undefined
    ? undefined
    : new (await import('@azure/identity')).ManagedIdentityCredential(entra.clientId === undefined ? {} : { clientId: entra.clientId });
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString, ...(credential === undefined ? {} : { credential }) },
    enableLiveMetrics: false,
  });
  return metrics.getMeter('trustgate');
};

/** Metrics for this environment: OpenTelemetry to Azure Monitor with a connection string, otherwise a no-op. */
export async function metricsFor(env: TelemetryEnvironment, load: MeterLoader = azureMonitorMeter): Promise<Metrics> {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  if (!connectionString) return noopMetrics;
  const aad = /(^|;)\s*Authorization=AAD\s*(;|$)/i.test(env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? '');
  return openTelemetryMetrics(await load({ connectionString, entra: aad ? { clientId: env.AZURE_CLIENT_ID || undefined } : undefined }));
}

let shared: Promise<Metrics> | undefined;

/**
 * The process-wide metrics, started on first use (pass process.env from the composition root, shared/config).
 * Telemetry never breaks a verdict: if the exporter cannot start, the metrics are a no-op.
 */
export function getMetrics(env: TelemetryEnvironment, logger: Logger = silentLogger): Promise<Metrics> {
  shared ??= metricsFor(env).catch((error: unknown) => {
    logger.log('warn', 'telemetry.start_failed', { error: error instanceof Error ? error.message : String(error) });
    return noopMetrics;
  });
  return shared;
}
