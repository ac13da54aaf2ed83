import { resolve } from 'node:path';
import { allFunctions } from '../functions/all.js';
import { isAppError, jsonLogger } from '../shared/core/index.js';
import { createServices, loadLocalSettings, loadSettings, setServices } from '../shared/config/index.js';
import { startAzuriteTable } from './azurite.js';
import { startLocalHost } from './server.js';

/**
 * `npm start`: the whole app on http://127.0.0.1:7071 from the same handlers the Functions host runs.
 * Settings come from the environment, then local.settings.json, then the embedded samples; without a
 * configured verdict table, Azurite runs in this process (in memory) as the Table Storage.
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
  const azurite = unset('TRUSTGATE_TABLE_CONNECTION_STRING') && unset('TRUSTGATE_TABLE_ENDPOINT') ? await startAzuriteTable() : undefined;
  if (azurite) env['TRUSTGATE_TABLE_CONNECTION_STRING'] = azurite.connectionString;

  const settings = loadSettings(env);
  const logger = jsonLogger(settings.logLevel);
  const services = await createServices(settings, { logger });
  setServices(services);
  const host = await startLocalHost({ definitions: allFunctions, logger, port: settings.port });

  const lines = [`trustgate is serving on ${host.url}${usingSamples ? ' (embedded sample trust policy: samples/)' : ''}`];
  if (azurite) lines.push(`  verdicts in embedded Azurite (${azurite.mode}, in memory): ${azurite.tableEndpoint}`);
  for (const d of allFunctions) {
    if (d.kind === 'http') lines.push(`  ${d.methods.join(',').padEnd(8)} ${host.url}/api/${d.route}`);
    if (d.kind === 'eventGrid') lines.push(`  POST     ${host.url}/runtime/webhooks/eventgrid?functionName=${d.name}`);
    if (d.kind === 'timer') lines.push(`  POST     ${host.url}/admin/functions/${d.name}   (timer, runs once)`);
  }
  process.stdout.write(lines.join('\n') + '\n');

  const stop = async () => {
    await host.close();
    await azurite?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = isAppError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`trustgate could not start: ${message}\n`);
  for (const problem of (error as { problems?: Array<{ message: string }> }).problems ?? []) process.stderr.write(`  - ${problem.message}\n`);
  process.exit(2);
});
