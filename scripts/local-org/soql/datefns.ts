/**
 * SOQL date functions (CALENDAR_MONTH(), DAY_ONLY(), HOUR_IN_DAY(), ...) as
 * an SQLite function. Date-time values are taken in UTC, as an org does,
 * unless the query wraps the field in convertTimezone(), which uses the
 * user's time zone.
 */
export const DATE_FUNCTIONS = new Set([
  'CALENDAR_YEAR',
  'CALENDAR_QUARTER',
  'CALENDAR_MONTH',
  'DAY_IN_MONTH',
  'DAY_IN_WEEK',
  'DAY_IN_YEAR',
  'DAY_ONLY',
  'HOUR_IN_DAY',
  'WEEK_IN_MONTH',
  'WEEK_IN_YEAR'
]);

/** Name of the SQL function registered on every local org database. */
export const SQL_DATE_PART = 'sf_datepart';

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(date: Date, timeZone: string): { y: number; m: number; d: number; h: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric'
    });
    formatters.set(timeZone, f);
  }
  const p = f.formatToParts(date);
  const get = (t: string) => Number(p.find((x) => x.type === t)?.value);
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour') };
}

export function datePart(part: string, value: unknown, timeZone: unknown): number | string | null {
  if (typeof value !== 'string' || value === '') return null;
  let y: number, m: number, d: number, h: number;
  if (value.length === 10) {
    [y, m, d] = value.split('-').map(Number) as [number, number, number];
    h = 0;
  } else {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return null;
    if (typeof timeZone === 'string' && timeZone) ({ y, m, d, h } = partsIn(date, timeZone));
    else
      [y, m, d, h] = [
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        date.getUTCHours()
      ];
  }
  const utcDay = Date.UTC(y, m - 1, d);
  const dayInYear = Math.round((utcDay - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
  switch (part) {
    case 'CALENDAR_YEAR':
      return y;
    case 'CALENDAR_QUARTER':
      return Math.floor((m - 1) / 3) + 1;
    case 'CALENDAR_MONTH':
      return m;
    case 'DAY_IN_MONTH':
      return d;
    case 'DAY_IN_WEEK':
      return new Date(utcDay).getUTCDay() + 1;
    case 'DAY_IN_YEAR':
      return dayInYear;
    case 'DAY_ONLY':
      return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    case 'HOUR_IN_DAY':
      return h;
    case 'WEEK_IN_MONTH':
      return Math.floor((d - 1) / 7) + 1;
    case 'WEEK_IN_YEAR':
      return Math.floor((dayInYear - 1) / 7) + 1;
    default:
      return null;
  }
}
