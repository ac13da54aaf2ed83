import { InvocationContext } from '@azure/functions';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../shared/core/index.js';
import { invocationAwareLogger, METRIC_NAMES, metricsFor, noopMetrics, openTelemetryMetrics, runWithInvocationLog, type ExporterOptions } from '../../../shared/telemetry/index.js';

// The metrics port on a real OpenTelemetry SDK with an in-memory exporter: what Azure Monitor would receive.
let provider: MeterProvider | undefined;
afterEach(async () => {
  await provider?.shutdown();
  provider = undefined;
});

async function recorded(record: (metrics: ReturnType<typeof openTelemetryMetrics>) => void) {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  provider = new MeterProvider({ readers: [reader] });
  record(openTelemetryMetrics(provider.getMeter('trustgate')));
  await reader.forceFlush();
  const metrics = exporter.getMetrics().flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
  return (name: string) => metrics.find((metric) => metric.descriptor.name === name)?.dataPoints ?? [];
}

const sums = (points: Array<Pick<DataPoint<unknown>, 'attributes' | 'value'>>) => points.map((p) => ({ ...p.attributes, value: p.value })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('OpenTelemetry metrics', () => {
  it('counts verdicts by decision, reason and trigger', async () => {
    const points = await recorded((m) => {
      m.verdict('allow', undefined, 'admission');
      m.verdict('deny', 'ERR_NO_SIGNATURE', 'admission');
      m.verdict('deny', 'ERR_NO_SIGNATURE', 'admission');
      m.verdict('inconclusive', 'ERR_REGISTRY_UNAVAILABLE', 'gatekeeper');
    });
    expect(sums(points(METRIC_NAMES.verdicts))).toEqual(sums([
      { attributes: { decision: 'allow', reason: 'none', trigger: 'admission' }, value: 1 },
      { attributes: { decision: 'deny', reason: 'ERR_NO_SIGNATURE', trigger: 'admission' }, value: 2 },
      { attributes: { decision: 'inconclusive', reason: 'ERR_REGISTRY_UNAVAILABLE', trigger: 'gatekeeper' }, value: 1 },
    ]));
  });

  it('records verification latency as a histogram in ms, and cache, registry and expiry series', async () => {
    const points = await recorded((m) => {
      m.verificationLatency(3, 'allow', true);
      m.verificationLatency(420, 'allow', false);
      m.cacheLookup('memory', true);
      m.cacheLookup('table', false);
      m.registryError('contoso.azurecr.io', 'ERR_REGISTRY_UNAVAILABLE');
      m.certificateExpiry('ca:prod', 12.7);
      m.certificateExpiry('ca:prod', 11.2);
      m.certificateExpiry('tsa:main', -1);
    });
    const latency = points(METRIC_NAMES.verificationDuration).map((p) => ({ attributes: p.attributes, count: (p.value as Histogram).count, sum: (p.value as Histogram).sum }));
    expect(latency).toEqual(expect.arrayContaining([{ attributes: { decision: 'allow', cached: true }, count: 1, sum: 3 }, { attributes: { decision: 'allow', cached: false }, count: 1, sum: 420 }]));
    expect(sums(points(METRIC_NAMES.cacheLookups))).toEqual(sums([
      { attributes: { tier: 'memory', outcome: 'hit' }, value: 1 }, { attributes: { tier: 'table', outcome: 'miss' }, value: 1 },
    ]));
    expect(sums(points(METRIC_NAMES.registryErrors))).toEqual([{ registry: 'contoso.azurecr.io', code: 'ERR_REGISTRY_UNAVAILABLE', value: 1 }]);
    expect(sums(points(METRIC_NAMES.certificateDaysToExpiry))).toEqual([{ store: 'ca:prod', value: 11 }, { store: 'tsa:main', value: -1 }]);
  });
});

describe('metricsFor (when telemetry is on)', () => {
  const loader = () => {
    const calls: ExporterOptions[] = [];
    const load = async (options: ExporterOptions) => {
      calls.push(options);
      return new MeterProvider().getMeter('t');
    };
    return { calls, load };
  };

  it('is a no-op and loads nothing without APPLICATIONINSIGHTS_CONNECTION_STRING', async () => {
    const { calls, load } = loader();
    expect(await metricsFor({}, load)).toBe(noopMetrics);
    expect(await metricsFor({ APPLICATIONINSIGHTS_CONNECTION_STRING: '  ' }, load)).toBe(noopMetrics);
    expect(calls).toEqual([]);
  });

  it('starts the exporter with the connection string, and with the managed identity when ingestion needs Entra ID', async () => {
    const { calls, load } = loader();
    const connectionString = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/';
    expect(await metricsFor({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }, load)).not.toBe(noopMetrics);
    await metricsFor({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=abc;Authorization=AAD', AZURE_CLIENT_ID: 'abc' }, load);
    expect(calls).toEqual([{ connectionString, entra: undefined }, { connectionString, entra: { clientId: 'abc' } }]);
  });
});

describe('invocationAwareLogger (the Logger adapter)', () => {
  it('writes to the invocation context with its severity inside an invocation, JSON lines outside', () => {
    const fallback = memoryLogger();
    const logger = invocationAwareLogger(fallback, 'info');
    const seen: Array<[string, string]> = [];
    const context = new InvocationContext({ invocationId: 'inv-1', functionName: 'verify', logHandler: (level, ...args) => void seen.push([level, String(args[0])]) });
    runWithInvocationLog(context, () => {
      logger.log('warn', 'registry.retry', { registry: 'contoso.azurecr.io' });
      logger.log('debug', 'too.verbose');
      logger.log('error', 'verify.failed', { code: 'ERR_X' });
    });
    logger.log('info', 'outside', { a: 1 });
    expect(seen).toEqual([
      ['warning', 'registry.retry {"event":"registry.retry","registry":"contoso.azurecr.io"}'],
      ['error', 'verify.failed {"event":"verify.failed","code":"ERR_X"}'],
    ]);
    expect(fallback.entries).toEqual([{ level: 'info', event: 'outside', fields: { a: 1 } }]);
  });

  it('keeps concurrent invocations apart', async () => {
    const logger = invocationAwareLogger(memoryLogger(), 'debug');
    const seen: string[] = [];
    const context = (id: string) => new InvocationContext({ invocationId: id, functionName: 'f', logHandler: (_level, ...args) => void seen.push(`${id}:${String(args[0]).split(' ')[0]}`) });
    const work = (id: string, delay: number) => runWithInvocationLog(context(id), async () => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      logger.log('info', `event-${id}`);
    });
    await Promise.all([work('a', 20), work('b', 1)]);
    expect(seen.sort()).toEqual(['a:event-a', 'b:event-b']);
  });
});
