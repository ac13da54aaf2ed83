export { loadSettings, configError, ConfigError } from './settings.js';
export type { Settings } from './settings.js';
export { createServices, getServices, setServices } from './services.js';
export type { Services, ServiceOverrides } from './services.js';
export { registryAllowlist, policyRegistries } from './registry-allowlist.js';
export { loadLocalSettings } from './local-settings.js';
export { recheckSchedule } from './schedule.js';

/** Names of the evidence schemes wired in shared/config/schemes.ts (loaded on demand: schemes pull their crypto). */
export async function knownSchemeNames(): Promise<string[]> {
  return (await import('./schemes.js')).schemeNames();
}
