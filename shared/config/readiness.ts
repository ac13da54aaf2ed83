import { isAppError } from '../core/index.js';
import { toProblem, type ConfigProblem, type SettingGroup } from './problems.js';
import { inspectSettings } from './settings.js';
import type { Env } from './env-values.js';
import { getServices, installedServices, type Services } from './services.js';

/**
 * Everything wrong with the configuration, each problem tagged with the group of functions it disables: setting values
 * that do not parse (every group), the admission endpoints without authentication, and what building the services found
 * (trust policy, trust stores the policy names, Key Vault). Names settings and paths, never values.
 */
export async function configurationProblems(load: () => Promise<Services> = getServices, env: Env = process.env): Promise<ConfigProblem[]> {
  const installed = installedServices();
  if (installed) return admissionAuthProblems((await installed).settings.admission);
  const { settings, problems } = inspectSettings(env);
  if (!problems.some((p) => p.group === 'admission')) problems.push(...admissionAuthProblems(settings.admission));
  if (!problems.some((p) => p.group === 'core')) {
    try {
      await load();
    } catch (error) {
      const listed = (error as { problems?: Array<{ setting: string; message: string; path?: string }> }).problems;
      if (listed) problems.push(...listed.map((p) => ({ ...p, group: 'core' as const })));
      else if (isAppError(error)) problems.push(toProblem(error, 'core'));
      else throw error;
    }
  }
  return problems;
}

/** Admission endpoints are served only with authentication: a path key and/or a client CA (or turned off). */
function admissionAuthProblems(admission: Services['settings']['admission']): ConfigProblem[] {
  if (admission.enabled === false || admission.pathKey || admission.clientCaPem) return [];
  return [{
    setting: 'TRUSTGATE_ADMISSION_KEY',
    group: 'admission',
    message: 'TRUSTGATE_ADMISSION_KEY: the admission and Gatekeeper endpoints need TRUSTGATE_ADMISSION_KEY and/or TRUSTGATE_ADMISSION_CLIENT_CA',
  }];
}

/** The problems that disable a function needing `groups`. */
export function problemsFor(problems: readonly ConfigProblem[], groups: readonly SettingGroup[]): ConfigProblem[] {
  return problems.filter((p) => groups.includes(p.group));
}

/** The admission settings alone (no services, no I/O unless installed): what the webhook's authentication is built from. */
export async function admissionSettings(env: Env = process.env): Promise<{ settings: Services['settings']['admission']; problems: ConfigProblem[] }> {
  const installed = installedServices();
  if (installed) return { settings: (await installed).settings.admission, problems: [] };
  const { settings, problems } = inspectSettings(env);
  return { settings: settings.admission, problems: problems.filter((p) => p.group === 'admission') };
}
