import { describe, expect, it } from 'vitest';
import { loadSettings, parseNcrontab } from '../../../shared/config/index.js';

const at = (iso: string) => new Date(iso);

describe('NCRONTAB (the Functions timer format)', () => {
  it.each([
    ['0 */15 * * * *', '2026-01-01T10:07:30Z', '2026-01-01T10:15:00.000Z'],
    ['0 */15 * * * *', '2026-01-01T10:45:00Z', '2026-01-01T11:00:00.000Z'],
    ['*/10 * * * * *', '2026-01-01T10:00:05Z', '2026-01-01T10:00:10.000Z'],
    ['0 30 9 * * MON-FRI', '2026-01-03T12:00:00Z', '2026-01-05T09:30:00.000Z'], // Saturday → Monday
    ['0 0 0 1 JAN *', '2026-03-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['0 0 12 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['5,35 0 * * * *', '2026-01-01T10:00:05Z', '2026-01-01T10:00:35.000Z'],
  ])('%s after %s fires at %s', (expression, after, next) => {
    expect(parseNcrontab(expression).next(at(after)).toISOString()).toBe(next);
  });

  it.each([
    ['every 5 minutes', 'six fields'],
    ['*/5 * * * *', 'six fields'],
    ['0 60 * * * *', 'minute field must be from 0 to 59'],
    ['0 * * * 13 *', 'month field'],
    ['0 */0 * * * *', 'step of 0'],
    ['0 5-1 * * * *', 'backwards'],
    ['00:05:00', 'six fields'],
  ])('rejects %s (%s)', (expression, message) => {
    expect(() => parseNcrontab(expression)).toThrow(message);
  });

  it('TRUSTGATE_RECHECK_SCHEDULE="every 5 minutes" is a configuration error naming the setting', () => {
    expect(() => loadSettings({ TRUSTGATE_TRUST_POLICY: 'p.json', TRUSTGATE_RECHECK_SCHEDULE: 'every 5 minutes' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', details: { setting: 'TRUSTGATE_RECHECK_SCHEDULE' } }),
    );
  });
});
