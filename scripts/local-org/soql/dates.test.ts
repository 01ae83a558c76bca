import { datePart } from './datefns';
import { dateLiteralRange, zonedMidnight } from './dates';

const NOW = new Date('2026-11-15T12:00:00.000Z'); // a Sunday
const TZ = 'Europe/Amsterdam';

describe('date literals in the org time zone', () => {
  it('starts days at local midnight on both sides of a DST change', () => {
    expect(zonedMidnight({ y: 2026, m: 11, d: 1 }, TZ).toISOString()).toBe(
      '2026-10-31T23:00:00.000Z'
    );
    expect(zonedMidnight({ y: 2026, m: 10, d: 1 }, TZ).toISOString()).toBe(
      '2026-09-30T22:00:00.000Z'
    );
    expect(zonedMidnight({ y: 2026, m: 3, d: 29 }, TZ).toISOString()).toBe(
      '2026-03-28T23:00:00.000Z'
    );
  });

  it.each([
    ['TODAY', undefined, '2026-11-15', '2026-11-16', '2026-11-14T23:00:00.000Z'],
    ['YESTERDAY', undefined, '2026-11-14', '2026-11-15', '2026-11-13T23:00:00.000Z'],
    ['THIS_WEEK', undefined, '2026-11-15', '2026-11-22', '2026-11-14T23:00:00.000Z'],
    ['LAST_MONTH', undefined, '2026-10-01', '2026-11-01', '2026-09-30T22:00:00.000Z'],
    ['THIS_QUARTER', undefined, '2026-10-01', '2027-01-01', '2026-09-30T22:00:00.000Z'],
    ['LAST_N_DAYS', 7, '2026-11-08', '2026-11-16', '2026-11-07T23:00:00.000Z'],
    ['NEXT_N_DAYS', 2, '2026-11-16', '2026-11-18', '2026-11-15T23:00:00.000Z'],
    ['N_MONTHS_AGO', 2, '2026-09-01', '2026-10-01', '2026-08-31T22:00:00.000Z'],
    ['LAST_N_YEARS', 1, '2025-01-01', '2026-01-01', '2024-12-31T23:00:00.000Z']
  ])('%s:%s is [%s, %s)', (literal, n, start, end, startIso) => {
    const r = dateLiteralRange(literal, n, NOW, TZ)!;
    expect([r.startDate, r.endDate, r.startIso]).toEqual([start, end, startIso]);
  });

  it('knows no other names', () => {
    expect(dateLiteralRange('SOMEDAY', undefined, NOW, TZ)).toBeUndefined();
  });
});

describe('date functions', () => {
  it('read date-times in UTC unless given a zone, and dates as they are', () => {
    const at = '2025-06-30T22:30:00.000Z';
    expect(datePart('CALENDAR_MONTH', at, null)).toBe(6);
    expect(datePart('CALENDAR_MONTH', at, TZ)).toBe(7);
    expect(datePart('HOUR_IN_DAY', at, TZ)).toBe(0);
    expect(datePart('DAY_ONLY', at, TZ)).toBe('2025-07-01');
    expect(datePart('DAY_IN_WEEK', '2026-11-15', TZ)).toBe(1);
    expect(datePart('CALENDAR_QUARTER', '2026-11-15', null)).toBe(4);
    expect(datePart('DAY_IN_YEAR', '2026-02-01', null)).toBe(32);
    expect(datePart('WEEK_IN_YEAR', '2026-01-08', null)).toBe(2);
    expect(datePart('CALENDAR_YEAR', null, null)).toBeNull();
  });
});
