// @ts-check
/**
 * Periods are calendar months in the org's default time zone: the one rule
 * the sync and the components share.
 */

/** @type {Map<string, Intl.DateTimeFormat>} */
const formatters = new Map();

/**
 * @param {string} timeZone
 * @returns {Intl.DateTimeFormat}
 */
function formatter(timeZone) {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric'
      });
    } catch {
      throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Wall-clock fields of an instant in a time zone.
 * @param {number} ms
 * @param {string} timeZone
 * @returns {{year: number, month: number, day: number, hour: number, minute: number, second: number}}
 */
function wallClock(ms, timeZone) {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type in out) out[/** @type {keyof typeof out} */ (part.type)] = Number(part.value);
  }
  return out;
}

/**
 * @param {string | number | Date} date
 * @returns {number}
 */
function toMillis(date) {
  const ms =
    date instanceof Date ? date.getTime() : typeof date === 'number' ? date : Date.parse(date);
  if (!Number.isFinite(ms)) throw new RangeError(`not a date: ${JSON.stringify(String(date))}`);
  return ms;
}

/**
 * @param {number} year
 * @param {number} month 1-12
 * @returns {string}
 */
function formatPeriod(year, month) {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * @param {string} period
 * @returns {{year: number, month: number}}
 */
function parsePeriod(period) {
  const m = PERIOD.exec(period);
  if (!m) throw new RangeError(`not a period (YYYY-MM): ${JSON.stringify(period)}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/**
 * The UTC instant at which a local wall-clock time occurs in a time zone
 * (the first one, if a transition makes it ambiguous).
 * @param {number} year
 * @param {number} month 1-12
 * @param {number} day
 * @param {string} timeZone
 * @returns {number}
 */
function localMidnight(year, month, day, timeZone) {
  const target = Date.UTC(year, month - 1, day);
  let guess = target;
  // Two corrections settle any zone offset, including one that changes near midnight.
  for (let i = 0; i < 3; i++) {
    const w = wallClock(guess, timeZone);
    const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    const diff = shown - target;
    if (diff === 0) break;
    guess -= diff;
  }
  return guess;
}

/**
 * Months already seen, per zone, as [start, end) instants: the sync asks for
 * millions of instants that fall in a few dozen months, and formatting a date
 * in a zone is slow. The last hit is tried first.
 * @type {Map<string, {start: number, end: number, period: string}[]>}
 */
const monthsSeen = new Map();

/**
 * The period (calendar month `YYYY-MM` in the given time zone) an instant falls in.
 * @param {string | number | Date} date an ISO date-time, epoch milliseconds or Date
 * @param {string} timeZone IANA zone, e.g. `Europe/Amsterdam`
 * @returns {string}
 */
export function periodOf(date, timeZone) {
  const ms = toMillis(date);
  let months = monthsSeen.get(timeZone);
  if (months) {
    for (let i = 0; i < months.length; i++) {
      const m = /** @type {{start: number, end: number, period: string}} */ (months[i]);
      if (ms >= m.start && ms < m.end) {
        if (i > 0) {
          // Move to front: consecutive instants usually share a month.
          months[i] = /** @type {{start: number, end: number, period: string}} */ (months[0]);
          months[0] = m;
        }
        return m.period;
      }
    }
  } else {
    months = [];
    monthsSeen.set(timeZone, months);
  }
  const w = wallClock(ms, timeZone);
  const period = formatPeriod(w.year, w.month);
  const next =
    w.month === 12 ? { year: w.year + 1, month: 1 } : { year: w.year, month: w.month + 1 };
  const entry = {
    start: localMidnight(w.year, w.month, 1, timeZone),
    end: localMidnight(next.year, next.month, 1, timeZone),
    period
  };
  // A bounded cache: old months fall off the end.
  if (months.length >= 240) months.pop();
  months.unshift(entry);
  return period;
}

/**
 * The period before.
 * @param {string} period `YYYY-MM`
 * @returns {string}
 */
export function previousPeriod(period) {
  const { year, month } = parsePeriod(period);
  return month === 1 ? formatPeriod(year - 1, 12) : formatPeriod(year, month - 1);
}

/**
 * The period after.
 * @param {string} period `YYYY-MM`
 * @returns {string}
 */
export function nextPeriod(period) {
  const { year, month } = parsePeriod(period);
  return month === 12 ? formatPeriod(year + 1, 1) : formatPeriod(year, month + 1);
}

/**
 * The first day of a period as a Salesforce Date value (Period_Start__c).
 * @param {string} period `YYYY-MM`
 * @returns {string} `YYYY-MM-01`
 */
export function periodStart(period) {
  parsePeriod(period);
  return `${period}-01`;
}

/**
 * The instants a period covers in a time zone: start inclusive, end exclusive (epoch ms).
 * @param {string} period `YYYY-MM`
 * @param {string} timeZone
 * @returns {{start: number, end: number}}
 */
export function periodBounds(period, timeZone) {
  const { year, month } = parsePeriod(period);
  const next = parsePeriod(nextPeriod(period));
  return {
    start: localMidnight(year, month, 1, timeZone),
    end: localMidnight(next.year, next.month, 1, timeZone)
  };
}
