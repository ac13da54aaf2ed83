import { isAppError } from '../core/index.js';
import { ConfigError } from './env-values.js';

/**
 * Which functions a setting serves. A broken setting disables only the functions that need its group:
 * `core` (policy, trust stores, registries, verdict table) serves every verification; `admission` the webhooks and
 * Gatekeeper providers; `recheck` the timer; `host` the local host alone.
 */
export type SettingGroup = 'core' | 'admission' | 'recheck' | 'host';

/** One thing wrong with the configuration: the setting's name and why, never its value. */
export interface ConfigProblem {
  setting: string;
  group: SettingGroup;
  message: string;
  /** Optional. The file or directory involved (paths are named; values never are). */
  path?: string;
}

/** Runs one read; a ConfigError becomes a problem of `group` and the fallback is used instead. */
export function attempt<T>(problems: ConfigProblem[], group: SettingGroup, read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    problems.push(toProblem(error, group));
    return fallback;
  }
}

export function toProblem(error: unknown, group: SettingGroup): ConfigProblem {
  if (!isAppError(error)) throw error;
  const setting = typeof error.details?.['setting'] === 'string' ? (error.details['setting'] as string) : error.code;
  const path = typeof error.details?.['path'] === 'string' ? (error.details['path'] as string) : undefined;
  return { setting, group, message: error.message, ...(path ? { path } : {}) };
}

/** Several problems as one error: the first names the setting; all of them ride along in `problems`. */
export function problemsError(problems: readonly ConfigProblem[]): ConfigError {
  const first = problems[0] as ConfigProblem;
  const error = new ConfigError('ERR_CONFIG', 'config', first.message, { details: { setting: first.setting, ...(first.path ? { path: first.path } : {}) } });
  return Object.assign(error, { problems: problems.map((p) => ({ setting: p.setting, message: p.message, ...(p.path ? { path: p.path } : {}) })) });
}
