/**
 * NCRONTAB, the Azure Functions timer format: six fields `{second} {minute} {hour} {day} {month} {day-of-week}`, each
 * `*`, a number, a range `a-b`, a step `*\/n` or `a-b/n`, or a comma list of those; months and days may be named
 * (JAN, MON). Times are UTC (Flex Consumption runs timers in UTC).
 */
export interface CronSchedule {
  /** The first instant strictly after `after` that the schedule fires at (whole seconds, UTC). */
  next(after: Date): Date;
}

const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], base: 1 },
  { name: 'day-of-week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], base: 0 },
] as const;

/** Parses an expression, or throws an Error that says which field is wrong (the expression itself is not quoted). */
export function parseNcrontab(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`must have six fields (second minute hour day month day-of-week), found ${parts.length}`);
  const sets = parts.map((part, i) => parseField(part, FIELDS[i] as (typeof FIELDS)[number]));
  const [seconds, minutes, hours, days, months, weekdays] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const dayRestricted = parts[3] !== '*' && parts[3] !== '?';
  const weekdayRestricted = parts[5] !== '*' && parts[5] !== '?';
  const dayMatches = (t: Date) => {
    const byDay = days.has(t.getUTCDate());
    const byWeekday = weekdays.has(t.getUTCDay());
    // Both restricted: either matches (cron's rule); one restricted: that one decides.
    if (dayRestricted && weekdayRestricted) return byDay || byWeekday;
    return dayRestricted ? byDay : weekdayRestricted ? byWeekday : true;
  };
  return {
    next(after) {
      const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
      const limit = after.getTime() + 5 * 366 * 86_400_000;
      while (t.getTime() <= limit) {
        if (!months.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!hours.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
        } else if (!minutes.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
        } else if (!seconds.has(t.getUTCSeconds())) {
          t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
        } else {
          return t;
        }
      }
      throw new Error('the schedule never fires');
    },
  };
}

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(\*|\?|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw new Error(`the ${field.name} field is not valid NCRONTAB`);
    const [, range = '', stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new Error(`the ${field.name} field has a step of 0`);
    let low: number = field.min;
    let high: number = field.max;
    if (range !== '*' && range !== '?') {
      const [a = '', b] = range.split('-');
      low = value(a, field);
      high = b === undefined ? (stepText === undefined ? low : field.max) : value(b, field);
      if (low > high) throw new Error(`the ${field.name} field has a range that runs backwards`);
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

function value(text: string, field: (typeof FIELDS)[number]): number {
  const named = 'names' in field ? (field.names as readonly string[]).indexOf(text.toUpperCase()) + field.base : -1;
  const parsed = named >= field.min ? named : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(parsed) || parsed < field.min || parsed > field.max) {
    throw new Error(`the ${field.name} field must be from ${field.min} to ${field.max}`);
  }
  return parsed;
}
