import { homedir } from 'node:os';
import { join } from 'node:path';
import { createServices, loadSettings, type Services } from '../shared/config/index.js';
import { jsonLogger, silentLogger } from '../shared/core/index.js';
import { noopMetrics } from '../shared/telemetry/index.js';
import type { CliIo } from './io.js';
import { checkFiles, type SettingSource } from './preflight.js';
import { noEvents, noVerdictCache } from './process-cache.js';

/** Flags of the commands that verify images (verify, pin). */
export interface ServiceFlags {
  trustPolicy?: string;
  trustStore?: string;
  plainHttp?: boolean;
  output: string;
  verbose?: boolean;
}

/**
 * The production composition root (`createServices`) with the flags applied as the TRUSTGATE_* settings they stand
 * for: `verify` and `pin` ask the same VerificationService, under the same policy, as every other surface.
 * `plainHttpRegistries` are the registries `--plain-http` applies to. Throws config errors (exit 2).
 */
export async function cliServices(flags: ServiceFlags, io: CliIo, plainHttpRegistries: readonly string[]): Promise<Services> {
  const env = { ...io.env };
  if (flags.trustPolicy) env['TRUSTGATE_TRUST_POLICY'] = flags.trustPolicy;
  if (flags.trustStore) env['TRUSTGATE_TRUST_STORE'] = flags.trustStore;
  if (flags.plainHttp) env['TRUSTGATE_PLAIN_HTTP'] = [env['TRUSTGATE_PLAIN_HTTP'], ...plainHttpRegistries].filter(Boolean).join(',');
  env['TRUSTGATE_DOCKER_CONFIG'] ??= join(env['DOCKER_CONFIG'] ?? join(env['HOME'] ?? homedir(), '.docker'), 'config.json');
  const source: SettingSource = {
    trustPolicy: flags.trustPolicy ? '--trust-policy' : 'TRUSTGATE_TRUST_POLICY',
    trustStore: flags.trustStore ? '--trust-store' : 'TRUSTGATE_TRUST_STORE',
  };
  const settings = loadSettings(env);
  await checkFiles(settings, source);
  const logger = flags.verbose ? jsonLogger('debug', (line) => io.stderr(line + '\n')) : silentLogger;
  const cache = settings.azure.table ? {} : { cache: noVerdictCache };
  // createServices validates every trust store the policy names (exit 2 naming the setting and the path).
  return createServices(settings, { logger, publisher: noEvents, metrics: noopMetrics, ...cache, ...io.overrides });
}
