/** NCRONTAB of the re-check timer (TRUSTGATE_RECHECK_SCHEDULE; UTC on Flex). Read at registration, so no I/O. */
export function recheckSchedule(env: Record<string, string | undefined> = process.env): string {
  return env['TRUSTGATE_RECHECK_SCHEDULE']?.trim() || '0 */15 * * * *';
}
