import { configError, text, type Env } from './env-values.js';
import { parseNcrontab } from './ncrontab.js';

export const DEFAULT_RECHECK_SCHEDULE = '0 */15 * * * *';

/** TRUSTGATE_RECHECK_SCHEDULE, checked: six NCRONTAB fields (UTC on Flex). Throws ERR_CONFIG naming the setting. */
export function recheckSchedule(env: Env = process.env): string {
  const value = text(env, 'TRUSTGATE_RECHECK_SCHEDULE') ?? DEFAULT_RECHECK_SCHEDULE;
  try {
    parseNcrontab(value);
  } catch (error) {
    throw configError('TRUSTGATE_RECHECK_SCHEDULE', (error as Error).message);
  }
  return value;
}

/**
 * The schedule to register the timer with. Registration happens at import, which must never throw (one bad setting
 * would take every function down): a broken schedule registers the default and the recheck function stays disabled.
 */
export function registeredRecheckSchedule(env: Env = process.env): string {
  try {
    return recheckSchedule(env);
  } catch {
    return DEFAULT_RECHECK_SCHEDULE;
  }
}
