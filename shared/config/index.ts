export { loadSettings, configError, ConfigError } from './settings.js';
export type { Settings } from './settings.js';
export { createServices, getServices, setServices, installedServices } from './services.js';
export type { Services, ServiceOverrides } from './services.js';
export { registryAllowlist, policyRegistries } from './registry-allowlist.js';
export { loadLocalSettings } from './local-settings.js';
export { recheckSchedule, registeredRecheckSchedule, DEFAULT_RECHECK_SCHEDULE } from './schedule.js';
export { parseNcrontab } from './ncrontab.js';
export type { CronSchedule } from './ncrontab.js';
export { inspectSettings } from './settings.js';
export type { ConfigProblem, SettingGroup } from './problems.js';
export { configurationProblems, problemsFor, admissionSettings } from './readiness.js';
export { problemsError } from './problems.js';

/** Names of the evidence schemes wired in shared/config/schemes.ts (loaded on demand: schemes pull their crypto). */
export async function knownSchemeNames(): Promise<string[]> {
  return (await import('./schemes.js')).schemeNames();
}
