import fc from 'fast-check';
import {
  nextPeriod,
  periodBounds,
  periodOf,
  periodStart,
  previousPeriod
} from '../../force-app/main/default/lwc/experienceScoring/experienceScoring';

describe('periods', () => {
  it('are calendar months in the org time zone, not UTC', () => {
    // 31 Jan 23:30 UTC is already 1 Feb 00:30 in Amsterdam (UTC+1 in winter).
    expect(periodOf('2026-01-31T23:30:00Z', 'Europe/Amsterdam')).toBe('2026-02');
    expect(periodOf('2026-01-31T22:59:59.999Z', 'Europe/Amsterdam')).toBe('2026-01');
    expect(periodOf('2026-01-31T23:30:00Z', 'UTC')).toBe('2026-01');
    // 1 Mar 05:00 UTC is still 28 Feb 21:00 in Los Angeles (UTC-8).
    expect(periodOf(Date.UTC(2026, 2, 1, 5), 'America/Los_Angeles')).toBe('2026-02');
    expect(periodOf(new Date(Date.UTC(2026, 11, 31, 14)), 'Pacific/Auckland')).toBe('2027-01');
  });

  it('give the same answer in any order of calls (the month cache is exact at the edges)', () => {
    const zone = 'Europe/Amsterdam';
    const edge = Date.UTC(2026, 9, 31, 23); // 1 Nov 00:00 CET, after the October DST change
    expect(periodOf(edge - 1, zone)).toBe('2026-10');
    expect(periodOf(edge, zone)).toBe('2026-11');
    expect(periodOf(edge - 1, zone)).toBe('2026-10');
  });

  it('agree with the calendar month Intl shows in the zone, for any instant and order', () => {
    const zones = [
      'Europe/Amsterdam',
      'America/Los_Angeles',
      'Pacific/Auckland',
      'Asia/Kolkata',
      'America/St_Johns',
      'Australia/Lord_Howe'
    ];
    const formats = new Map(
      zones.map((z) => [
        z,
        new Intl.DateTimeFormat('en-CA', { timeZone: z, year: 'numeric', month: '2-digit' })
      ])
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        (zone, ms) => {
          const parts = (formats.get(zone) as Intl.DateTimeFormat).formatToParts(ms);
          const want = `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
          expect(periodOf(ms, zone)).toBe(want);
          // Either side of the month's bounds belongs to the neighbouring months.
          const b = periodBounds(want, zone);
          expect(periodOf(b.start, zone)).toBe(want);
          expect(periodOf(b.end - 1, zone)).toBe(want);
          expect(periodOf(b.start - 1, zone)).toBe(previousPeriod(want));
          expect(periodOf(b.end, zone)).toBe(nextPeriod(want));
        }
      ),
      { numRuns: 300 }
    );
  });

  it('bound a month by local midnights, across DST', () => {
    // March 2026 in Amsterdam: starts 1 Mar 00:00 CET (23:00 UTC the day before),
    // ends 1 Apr 00:00 CEST (22:00 UTC); the month is one hour short of 31 days.
    const b = periodBounds('2026-03', 'Europe/Amsterdam');
    expect(new Date(b.start).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(new Date(b.end).toISOString()).toBe('2026-03-31T22:00:00.000Z');
  });

  it('step back and forth over year ends and give the Period_Start__c date', () => {
    expect(previousPeriod('2026-01')).toBe('2025-12');
    expect(previousPeriod('2026-07')).toBe('2026-06');
    expect(nextPeriod('2026-12')).toBe('2027-01');
    expect(periodStart('2026-04')).toBe('2026-04-01');
    expect(() => previousPeriod('2026-13')).toThrow(/not a period/);
    expect(() => periodOf('yesterday', 'UTC')).toThrow(/not a date/);
    expect(() => periodOf(0, 'Nowhere/City')).toThrow(/unknown time zone/);
  });
});
