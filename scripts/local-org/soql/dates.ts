/**
 * SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_MONTH, ...) as half-open
 * ranges [start, end), computed in the org's time zone as an org does.
 */

export interface DateRange {
  /** Local calendar dates `YYYY-MM-DD` (for date fields). */
  startDate: string;
  endDate: string;
  /** UTC instants (ISO, for date-time fields). */
  startIso: string;
  endIso: string;
}

interface Ymd {
  y: number;
  m: number; // 1-12
  d: number;
}

function todayIn(now: Date, timeZone: string): Ymd {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit'
  }).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { y: get('year'), m: get('month'), d: get('day') };
}

/** Offset (ms) of the zone from UTC at an instant. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric'
  }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second')
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of local midnight starting a calendar day in the zone. */
export function zonedMidnight(day: Ymd, timeZone: string): Date {
  const guess = Date.UTC(day.y, day.m - 1, day.d);
  let instant = guess - offsetAt(guess, timeZone);
  // Across a DST change the offset at the result can differ from the guess's.
  instant = guess - offsetAt(instant, timeZone);
  return new Date(instant);
}

function addDays(day: Ymd, n: number): Ymd {
  const d = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

function addMonths(day: Ymd, n: number): Ymd {
  const d = new Date(Date.UTC(day.y, day.m - 1 + n, 1));
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: 1 };
}

function fmt(day: Ymd): string {
  return `${day.y}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}

function range(start: Ymd, end: Ymd, timeZone: string): DateRange {
  return {
    startDate: fmt(start),
    endDate: fmt(end),
    startIso: zonedMidnight(start, timeZone).toISOString(),
    endIso: zonedMidnight(end, timeZone).toISOString()
  };
}

/** The range of a date literal, or undefined when the name is not one. */
export function dateLiteralRange(
  literal: string,
  n: number | undefined,
  now: Date,
  timeZone: string
): DateRange | undefined {
  const today = todayIn(now, timeZone);
  const weekStart = addDays(today, -new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay());
  const monthStart: Ymd = { y: today.y, m: today.m, d: 1 };
  const quarterStart: Ymd = { y: today.y, m: Math.floor((today.m - 1) / 3) * 3 + 1, d: 1 };
  const yearStart: Ymd = { y: today.y, m: 1, d: 1 };
  const k = n ?? 0;
  const days = (a: number, b: number) => range(addDays(today, a), addDays(today, b), timeZone);
  const weeks = (a: number, b: number) =>
    range(addDays(weekStart, 7 * a), addDays(weekStart, 7 * b), timeZone);
  const months = (from: Ymd, a: number, b: number) =>
    range(addMonths(from, a), addMonths(from, b), timeZone);
  switch (literal.toUpperCase()) {
    case 'YESTERDAY':
      return days(-1, 0);
    case 'TODAY':
      return days(0, 1);
    case 'TOMORROW':
      return days(1, 2);
    case 'LAST_WEEK':
      return weeks(-1, 0);
    case 'THIS_WEEK':
      return weeks(0, 1);
    case 'NEXT_WEEK':
      return weeks(1, 2);
    case 'LAST_MONTH':
      return months(monthStart, -1, 0);
    case 'THIS_MONTH':
      return months(monthStart, 0, 1);
    case 'NEXT_MONTH':
      return months(monthStart, 1, 2);
    case 'LAST_90_DAYS':
      return days(-90, 1);
    case 'NEXT_90_DAYS':
      return days(1, 91);
    case 'LAST_QUARTER':
      return months(quarterStart, -3, 0);
    case 'THIS_QUARTER':
      return months(quarterStart, 0, 3);
    case 'NEXT_QUARTER':
      return months(quarterStart, 3, 6);
    case 'LAST_YEAR':
      return months(yearStart, -12, 0);
    case 'THIS_YEAR':
      return months(yearStart, 0, 12);
    case 'NEXT_YEAR':
      return months(yearStart, 12, 24);
    case 'LAST_N_DAYS':
      return days(-k, 1);
    case 'NEXT_N_DAYS':
      return days(1, k + 1);
    case 'N_DAYS_AGO':
      return days(-k, -k + 1);
    case 'LAST_N_WEEKS':
      return weeks(-k, 0);
    case 'NEXT_N_WEEKS':
      return weeks(1, k + 1);
    case 'N_WEEKS_AGO':
      return weeks(-k, -k + 1);
    case 'LAST_N_MONTHS':
      return months(monthStart, -k, 0);
    case 'NEXT_N_MONTHS':
      return months(monthStart, 1, k + 1);
    case 'N_MONTHS_AGO':
      return months(monthStart, -k, -k + 1);
    case 'LAST_N_QUARTERS':
      return months(quarterStart, -3 * k, 0);
    case 'NEXT_N_QUARTERS':
      return months(quarterStart, 3, 3 * k + 3);
    case 'LAST_N_YEARS':
      return months(yearStart, -12 * k, 0);
    case 'NEXT_N_YEARS':
      return months(yearStart, 12, 12 * k + 12);
    case 'N_YEARS_AGO':
      return months(yearStart, -12 * k, -12 * k + 12);
    default:
      return undefined;
  }
}
