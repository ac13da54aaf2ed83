import cluster from 'node:cluster';
import { resolve } from 'node:path';
import { allFunctions } from '../functions/all.js';
import { servedFunctions } from '../functions/availability.js';
import { isAppError, jsonLogger } from '../shared/core/index.js';
import { createServices, inspectSettings, loadLocalSettings, problemsError, setServices } from '../shared/config/index.js';
import { startAzuriteTable } from './azurite.js';
import { localWorkerCount, runAsClusterPrimary } from './cluster.js';
import { stopOnSignals } from './lifecycle.js';
import { startTimers } from './scheduler.js';
import { startLocalHost } from './server.js';

const ADMISSION_FUNCTIONS = ['admission-validate', 'admission-mutate', 'gatekeeper-verify', 'gatekeeper-mutate'];

/**
 * `npm start`: the whole app on http://127.0.0.1:7071 from the same handlers the Functions host runs.
 * Settings come from the environment, then local.settings.json, then the embedded samples; without a
 * configured verdict table, Azurite runs in this process (in memory) as the Table Storage. The whole configuration
 * is checked before anything is served: any problem stops start-up (exit 2) naming the settings and paths.
 * Timers fire on their schedules; SIGTERM/SIGINT drain in-flight requests and stop. With more than one worker
 * (TRUSTGATE_LOCAL_WORKERS, default one per core) the primary validates, runs Azurite and the timers, and the
 * workers serve HTTP on the shared port.
 */
async function main(): Promise<void> {
  const env = process.env;
  await loadLocalSettings(resolve('local.settings.json'), env);
  const unset = (name: string) => !env[name]?.trim();
  // The embedded defaults apply only as a pair: a configured policy never meets the sample trust store.
  const usingSamples = unset('TRUSTGATE_TRUST_POLICY');
  if (usingSamples) {
    env['TRUSTGATE_TRUST_POLICY'] = resolve('samples/trustpolicy.json');
    if (unset('TRUSTGATE_TRUST_STORE') && unset('TRUSTGATE_TRUST_STORE_INLINE') && unset('TRUSTGATE_KEYVAULT_URL')) {
      env['TRUSTGATE_TRUST_STORE'] = resolve('samples/truststore');
    }
  }
  const { settings, problems } = inspectSettings(env);
  // A broken core setting stops here; otherwise the services are built too, so the trust store problems are listed
  // together with the other settings' (validated completely, reported once).
  if (problems.some((p) => p.group === 'core')) throw problemsError(problems);
  const azurite = unset('TRUSTGATE_TABLE_CONNECTION_STRING') && unset('TRUSTGATE_TABLE_ENDPOINT') ? await startAzuriteTable() : undefined;
  if (azurite) {
    env['TRUSTGATE_TABLE_CONNECTION_STRING'] = azurite.connectionString;
    settings.azure.table = { kind: 'connectionString', connectionString: azurite.connectionString, tableName: settings.azure.table?.tableName ?? 'verdicts' };
  }
  const logger = jsonLogger(settings.logLevel);
  let services;
  try {
    services = await createServices(settings, { logger });
  } catch (error) {
    await azurite?.stop();
    const listed = (error as { problems?: typeof problems }).problems;
    throw problemsError([...problems, ...(listed ?? [{ setting: 'configuration', group: 'core' as const, message: (error as Error).message }])]);
  }
  if (problems.length > 0) {
    await azurite?.stop();
    throw problemsError(problems);
  }
  setServices(services);
  // Locally the admission endpoints are served only with their authentication configured (in Azure they are always
  // registered, and health reports them disabled).
  const admissionServed = settings.admission.enabled !== false && Boolean(settings.admission.pathKey || settings.admission.clientCaPem);
  const definitions = allFunctions.filter((d) => admissionServed || !ADMISSION_FUNCTIONS.includes(d.name));
  servedFunctions(definitions.map((d) => d.name));
  const workers = settings.port === 0 ? 1 : localWorkerCount(env); // port 0: workers could not tell the banner their port
  if (cluster.isWorker) {
    const host = await startLocalHost({ definitions, logger, port: settings.port });
    stopOnSignals(() => host.close(), process);
    return;
  }
  if (workers > 1) {
    const timers = startTimers(definitions, logger, { recheck: settings.recheckSchedule });
    runAsClusterPrimary({ env, onStop: async () => {
      timers.stop();
      await azurite?.stop();
    } });
    printBanner(`http://127.0.0.1:${settings.port}`, { definitions, usingSamples, azurite, admissionServed, schedule: settings.recheckSchedule });
    return;
  }
  const host = await startLocalHost({ definitions, logger, port: settings.port });
  const timers = startTimers(definitions, logger, { recheck: settings.recheckSchedule });
  printBanner(host.url, { definitions, usingSamples, azurite, admissionServed, schedule: settings.recheckSchedule });

  stopOnSignals(async () => {
    timers.stop();
    await host.close();
    await azurite?.stop();
  }, process, (line) => process.stderr.write(line + '\n'));
}

interface Banner {
  definitions: typeof allFunctions;
  usingSamples: boolean;
  azurite: Awaited<ReturnType<typeof startAzuriteTable>> | undefined;
  admissionServed: boolean;
  schedule: string;
}

function printBanner(url: string, { definitions, usingSamples, azurite, admissionServed, schedule }: Banner): void {
  const host = { url };
  const lines = [`trustgate is serving on ${host.url}${usingSamples ? ' (embedded sample trust policy: samples/)' : ''}`];
  if (azurite) lines.push(`  verdicts in embedded Azurite (${azurite.mode}, in memory): ${azurite.tableEndpoint}`);
  for (const d of definitions) {
    if (d.kind === 'http') lines.push(`  ${d.methods.join(',').padEnd(8)} ${host.url}/api/${d.route}`);
    if (d.kind === 'eventGrid') lines.push(`  POST     ${host.url}/runtime/webhooks/eventgrid?functionName=${d.name}`);
    if (d.kind === 'timer') lines.push(`  POST     ${host.url}/admin/functions/${d.name}   (timer: runs on "${d.name === 'recheck' ? schedule : d.schedule}" UTC; POST runs it now)`);
  }
  if (!admissionServed) lines.push('  (admission and Gatekeeper endpoints not served: set TRUSTGATE_ADMISSION_KEY or TRUSTGATE_ADMISSION_CLIENT_CA, unless TRUSTGATE_ADMISSION_ENABLED=false)');
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  const message = isAppError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`trustgate could not start: ${message}\n`);
  const problems = (error as { problems?: Array<{ message: string }> }).problems ?? [];
  if (problems.length > 1) for (const problem of problems) process.stderr.write(`  - ${problem.message}\n`);
  process.exit(2);
});
