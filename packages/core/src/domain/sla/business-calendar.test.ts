import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { type BusinessCalendar, type BusinessInterval, WEEKDAYS } from './business-calendar.schema.ts';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isBusinessTime,
  nextBusinessInstant,
} from './business-calendar.ts';

const NINE_TO_FIVE = [{ start: '09:00', end: '17:00' }];

function weekdays(intervals: BusinessInterval[]): BusinessCalendar['weekly'] {
  return {
    monday: intervals,
    tuesday: intervals,
    wednesday: intervals,
    thursday: intervals,
    friday: intervals,
  };
}

function everyDay(intervals: BusinessInterval[]): BusinessCalendar['weekly'] {
  return { ...weekdays(intervals), saturday: intervals, sunday: intervals };
}

const london: BusinessCalendar = { timezone: 'Europe/London', weekly: weekdays(NINE_TO_FIVE), holidays: [] };
const utcOffice: BusinessCalendar = { timezone: 'UTC', weekly: weekdays(NINE_TO_FIVE), holidays: [] };
const alwaysOpen: BusinessCalendar = { timezone: 'UTC', weekly: {}, holidays: [] };
const withLunch: BusinessCalendar = {
  timezone: 'UTC',
  weekly: weekdays([
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '17:00' },
  ]),
  holidays: [],
};
// A holiday outside the tested range keeps 24×7 calendars off the plain-elapsed-time shortcut.
const farHoliday = ['1999-01-01'];
const berlinNights: BusinessCalendar = {
  timezone: 'Europe/Berlin',
  weekly: everyDay([{ start: '01:00', end: '04:00' }]),
  holidays: [],
};
const newYorkNights: BusinessCalendar = { ...berlinNights, timezone: 'America/New_York' };

const at = (iso: string) => new Date(iso);

interface AddCase {
  name: string;
  cal: BusinessCalendar;
  start: string;
  minutes: number;
  expected: string;
}

describe('addBusinessMinutes', () => {
  it.each<AddCase>([
    {
      name: 'reaches Monday 12:00 from Friday 16:00 plus 240 minutes (the SPEC example)',
      cal: london,
      start: '2026-01-16T16:00:00Z',
      minutes: 240,
      expected: '2026-01-19T12:00:00Z',
    },
    {
      name: 'reaches Monday 12:00 from Friday 16:00 in British summer time too',
      cal: london,
      start: '2026-06-12T16:00:00+01:00',
      minutes: 240,
      expected: '2026-06-15T12:00:00+01:00',
    },
    {
      name: 'adds exactly 90 minutes on a 24×7 calendar',
      cal: alwaysOpen,
      start: '2026-05-02T23:10:00Z',
      minutes: 90,
      expected: '2026-05-03T00:40:00Z',
    },
    {
      name: 'counts from the opening when the start is before it',
      cal: utcOffice,
      start: '2026-01-19T07:00:00Z',
      minutes: 60,
      expected: '2026-01-19T10:00:00Z',
    },
    {
      name: 'counts from the start when it is inside an open interval',
      cal: utcOffice,
      start: '2026-01-19T10:30:00Z',
      minutes: 60,
      expected: '2026-01-19T11:30:00Z',
    },
    {
      name: 'counts from the next day when the start is after closing',
      cal: utcOffice,
      start: '2026-01-19T18:00:00Z',
      minutes: 60,
      expected: '2026-01-20T10:00:00Z',
    },
    {
      name: 'counts from Monday when the start is on a weekend',
      cal: utcOffice,
      start: '2026-01-17T12:00:00Z',
      minutes: 30,
      expected: '2026-01-19T09:30:00Z',
    },
    {
      name: 'ends at the closing time rather than at the next opening',
      cal: utcOffice,
      start: '2026-01-19T09:00:00Z',
      minutes: 480,
      expected: '2026-01-19T17:00:00Z',
    },
    {
      name: 'skips a Monday holiday to Tuesday',
      cal: { ...utcOffice, holidays: ['2026-01-19'] },
      start: '2026-01-16T16:00:00Z',
      minutes: 120,
      expected: '2026-01-20T10:00:00Z',
    },
    {
      name: 'skips the lunch gap between two intervals of a day',
      cal: withLunch,
      start: '2026-01-19T11:00:00Z',
      minutes: 120,
      expected: '2026-01-19T14:00:00Z',
    },
    {
      name: 'merges unsorted and overlapping intervals before counting',
      cal: {
        timezone: 'UTC',
        weekly: weekdays([
          { start: '13:00', end: '17:00' },
          { start: '10:00', end: '11:00' },
          { start: '09:00', end: '12:00' },
          { start: '11:30', end: '12:00' },
        ]),
        holidays: [],
      },
      start: '2026-01-19T11:00:00Z',
      minutes: 120,
      expected: '2026-01-19T14:00:00Z',
    },
    {
      name: 'crosses the year end over a New Year holiday',
      cal: { ...london, holidays: ['2026-01-01'] },
      start: '2025-12-31T16:00:00Z',
      minutes: 120,
      expected: '2026-01-02T10:00:00Z',
    },
    {
      name: 'treats a 24:00 end as midnight at the end of the day',
      cal: { timezone: 'UTC', weekly: { monday: [{ start: '22:00', end: '24:00' }] }, holidays: [] },
      start: '2026-01-19T23:00:00Z',
      minutes: 60,
      expected: '2026-01-20T00:00:00Z',
    },
    {
      name: 'runs on through midnight when the next day opens at 00:00',
      cal: {
        timezone: 'UTC',
        weekly: { monday: [{ start: '22:00', end: '24:00' }], tuesday: [{ start: '00:00', end: '02:00' }] },
        holidays: [],
      },
      start: '2026-01-19T23:00:00Z',
      minutes: 90,
      expected: '2026-01-20T00:30:00Z',
    },
    {
      name: 'counts half a minute as thirty seconds',
      cal: utcOffice,
      start: '2026-01-19T16:59:45Z',
      minutes: 0.5,
      expected: '2026-01-20T09:00:15Z',
    },
    {
      name: 'rounds a sub-millisecond amount up to one millisecond after the opening',
      cal: utcOffice,
      start: '2026-01-19T08:00:00Z',
      minutes: 1e-9,
      expected: '2026-01-19T09:00:00.001Z',
    },
    {
      name: 'returns the start unchanged for zero minutes, even outside business hours',
      cal: utcOffice,
      start: '2026-01-17T03:21:00Z',
      minutes: 0,
      expected: '2026-01-17T03:21:00Z',
    },
    {
      name: 'gives the Berlin spring-forward night of 01:00–04:00 only two real hours',
      cal: berlinNights,
      start: '2026-03-29T01:00:00+01:00',
      minutes: 121,
      expected: '2026-03-30T01:01:00+02:00',
    },
    {
      name: 'ends at 04:00 summer time after two hours on the Berlin spring-forward night',
      cal: berlinNights,
      start: '2026-03-29T01:00:00+01:00',
      minutes: 120,
      expected: '2026-03-29T04:00:00+02:00',
    },
    {
      name: 'gives the Berlin fall-back night of 01:00–04:00 four real hours',
      cal: berlinNights,
      start: '2026-10-25T01:00:00+02:00',
      minutes: 240,
      expected: '2026-10-25T04:00:00+01:00',
    },
    {
      name: 'passes the repeated Berlin hour once per real hour',
      cal: berlinNights,
      start: '2026-10-25T01:00:00+02:00',
      minutes: 150,
      expected: '2026-10-25T02:30:00+01:00',
    },
    {
      name: 'gives the New York spring-forward night of 01:00–04:00 only two real hours',
      cal: newYorkNights,
      start: '2026-03-08T01:30:00-05:00',
      minutes: 90,
      expected: '2026-03-08T04:00:00-04:00',
    },
    {
      name: 'gives the New York fall-back night of 01:00–04:00 four real hours',
      cal: newYorkNights,
      start: '2026-11-01T01:00:00-04:00',
      minutes: 240,
      expected: '2026-11-01T04:00:00-05:00',
    },
    {
      name: 'adds real minutes on a 24×7 Berlin calendar across spring forward',
      cal: { timezone: 'Europe/Berlin', weekly: {}, holidays: farHoliday },
      start: '2026-03-29T01:30:00+01:00',
      minutes: 60,
      expected: '2026-03-29T03:30:00+02:00',
    },
    {
      name: 'adds real minutes on a 24×7 Berlin calendar across fall back',
      cal: { timezone: 'Europe/Berlin', weekly: {}, holidays: farHoliday },
      start: '2026-10-25T02:30:00+02:00',
      minutes: 60,
      expected: '2026-10-25T02:30:00+01:00',
    },
    {
      name: 'adds real minutes on a 24×7 New York calendar across spring forward',
      cal: { timezone: 'America/New_York', weekly: {}, holidays: farHoliday },
      start: '2026-03-08T01:30:00-05:00',
      minutes: 60,
      expected: '2026-03-08T03:30:00-04:00',
    },
    {
      name: 'adds real minutes on a 24×7 New York calendar across fall back',
      cal: { timezone: 'America/New_York', weekly: {}, holidays: farHoliday },
      start: '2026-11-01T01:30:00-04:00',
      minutes: 60,
      expected: '2026-11-01T01:30:00-05:00',
    },
    {
      name: 'adds real minutes when every day is listed as 00:00–24:00 across spring forward',
      cal: { timezone: 'Europe/Berlin', weekly: everyDay([{ start: '00:00', end: '24:00' }]), holidays: [] },
      start: '2026-03-28T23:30:00+01:00',
      minutes: 180,
      expected: '2026-03-29T03:30:00+02:00',
    },
    {
      name: 'opens an interval that starts inside the spring-forward gap at the shifted instant',
      cal: { ...berlinNights, weekly: everyDay([{ start: '02:30', end: '05:00' }]) },
      start: '2026-03-29T00:00:00+01:00',
      minutes: 1,
      expected: '2026-03-29T03:31:00+02:00',
    },
    {
      name: 'opens an interval that starts in the repeated hour at its first occurrence',
      cal: { ...berlinNights, weekly: everyDay([{ start: '02:30', end: '05:00' }]) },
      start: '2026-10-25T00:00:00+02:00',
      minutes: 210,
      expected: '2026-10-25T05:00:00+01:00',
    },
  ])('$name', ({ cal, start, minutes, expected }) => {
    expect(addBusinessMinutes(at(start), minutes, cal).toISOString()).toBe(at(expected).toISOString());
  });

  it.each([
    { name: 'negative', minutes: -1 },
    { name: 'NaN', minutes: Number.NaN },
    { name: 'infinite', minutes: Number.POSITIVE_INFINITY },
  ])('throws a RangeError for $name minutes', ({ minutes }) => {
    expect(() => addBusinessMinutes(at('2026-01-19T10:00:00Z'), minutes, utcOffice)).toThrow(RangeError);
  });

  it('throws a RangeError for an invalid start date', () => {
    expect(() => addBusinessMinutes(new Date(Number.NaN), 10, utcOffice)).toThrow(RangeError);
  });

  it('throws a RangeError when the weekly hours are all empty', () => {
    const never: BusinessCalendar = { timezone: 'UTC', weekly: { monday: [], friday: [] }, holidays: [] };
    expect(() => addBusinessMinutes(at('2026-01-19T10:00:00Z'), 1, never)).toThrow(
      new RangeError('calendar has no business hours'),
    );
  });

  it('throws a RangeError when holidays close every day for more than 400 days', () => {
    const first = Temporal.PlainDate.from('2026-01-01');
    const holidays = Array.from({ length: 450 }, (_, i) => first.add({ days: i }).toString());
    const closed: BusinessCalendar = { timezone: 'UTC', weekly: {}, holidays };
    expect(() => addBusinessMinutes(at('2026-01-01T00:00:00Z'), 1, closed)).toThrow(RangeError);
  });

  it('finds business time after a closure shorter than 400 days', () => {
    const first = Temporal.PlainDate.from('2026-01-01');
    const holidays = Array.from({ length: 390 }, (_, i) => first.add({ days: i }).toString());
    const closed: BusinessCalendar = { timezone: 'UTC', weekly: {}, holidays };
    expect(addBusinessMinutes(at('2026-01-01T00:00:00Z'), 1, closed).toISOString()).toBe(
      '2027-01-26T00:01:00.000Z',
    );
  });

  it('returns a new Date, never the caller’s object', () => {
    const start = at('2026-01-19T10:00:00Z');
    expect(addBusinessMinutes(start, 0, utcOffice)).not.toBe(start);
  });
});

interface BetweenCase {
  name: string;
  cal: BusinessCalendar;
  start: string;
  end: string;
  expected: number;
}

describe('businessMinutesBetween', () => {
  it.each<BetweenCase>([
    {
      name: 'counts 240 minutes from Friday 16:00 to Monday 12:00 (the SPEC example)',
      cal: london,
      start: '2026-01-16T16:00:00Z',
      end: '2026-01-19T12:00:00Z',
      expected: 240,
    },
    {
      name: 'is the plain difference on a 24×7 calendar',
      cal: alwaysOpen,
      start: '2026-05-02T23:10:00Z',
      end: '2026-05-03T00:40:00Z',
      expected: 90,
    },
    {
      name: 'is zero when the end equals the start',
      cal: alwaysOpen,
      start: '2026-05-02T23:10:00Z',
      end: '2026-05-02T23:10:00Z',
      expected: 0,
    },
    {
      name: 'is zero when the end is before the start',
      cal: alwaysOpen,
      start: '2026-05-02T23:10:00Z',
      end: '2026-05-01T23:10:00Z',
      expected: 0,
    },
    {
      name: 'is zero over a weekend',
      cal: utcOffice,
      start: '2026-01-17T00:00:00Z',
      end: '2026-01-19T09:00:00Z',
      expected: 0,
    },
    {
      name: 'leaves out the lunch gap',
      cal: withLunch,
      start: '2026-01-19T00:00:00Z',
      end: '2026-01-20T00:00:00Z',
      expected: 420,
    },
    {
      name: 'counts a full week of office hours',
      cal: utcOffice,
      start: '2026-01-19T00:00:00Z',
      end: '2026-01-26T00:00:00Z',
      expected: 2400,
    },
    {
      name: 'leaves out a holiday',
      cal: { ...utcOffice, holidays: ['2026-01-21'] },
      start: '2026-01-19T00:00:00Z',
      end: '2026-01-26T00:00:00Z',
      expected: 1920,
    },
    {
      name: 'may be fractional',
      cal: utcOffice,
      start: '2026-01-19T16:59:30Z',
      end: '2026-01-19T18:00:00Z',
      expected: 0.5,
    },
    {
      name: 'counts two real hours on the Berlin spring-forward night',
      cal: berlinNights,
      start: '2026-03-29T00:00:00+01:00',
      end: '2026-03-29T12:00:00+02:00',
      expected: 120,
    },
    {
      name: 'counts four real hours on the Berlin fall-back night',
      cal: berlinNights,
      start: '2026-10-25T00:00:00+02:00',
      end: '2026-10-25T12:00:00+01:00',
      expected: 240,
    },
    {
      name: 'counts two real hours on the New York spring-forward night',
      cal: newYorkNights,
      start: '2026-03-08T00:00:00-05:00',
      end: '2026-03-08T12:00:00-04:00',
      expected: 120,
    },
    {
      name: 'counts four real hours on the New York fall-back night',
      cal: newYorkNights,
      start: '2026-11-01T00:00:00-04:00',
      end: '2026-11-01T12:00:00-05:00',
      expected: 240,
    },
    {
      name: 'drops the 23 real hours of a spring-forward holiday from a 24×7 calendar',
      cal: { timezone: 'Europe/Berlin', weekly: {}, holidays: ['2026-03-29'] },
      start: '2026-03-28T00:00:00+01:00',
      end: '2026-03-30T00:00:00+02:00',
      expected: 1440,
    },
    {
      name: 'drops the 25 real hours of a fall-back holiday from a 24×7 calendar',
      cal: { timezone: 'America/New_York', weekly: {}, holidays: ['2026-11-01'] },
      start: '2026-10-31T00:00:00-04:00',
      end: '2026-11-02T00:00:00-05:00',
      expected: 1440,
    },
    {
      name: 'counts a whole New York 24×7 spring-forward day as 23 hours',
      cal: { timezone: 'America/New_York', weekly: {}, holidays: farHoliday },
      start: '2026-03-08T00:00:00-05:00',
      end: '2026-03-09T00:00:00-04:00',
      expected: 1380,
    },
    {
      name: 'counts time once where the spring-forward gap pushes one interval into the next',
      cal: {
        timezone: 'Europe/Berlin',
        weekly: {
          sunday: [
            { start: '01:00', end: '02:30' },
            { start: '03:15', end: '05:00' },
          ],
        },
        holidays: [],
      },
      start: '2026-03-29T00:00:00+01:00',
      end: '2026-03-30T00:00:00+02:00',
      expected: 180,
    },
    {
      // Samoa skipped Friday 2011-12-30, so that day's evening maps after Saturday's office hours.
      name: 'keeps both days when a skipped calendar day maps its hours after the next day’s',
      cal: {
        timezone: 'Pacific/Apia',
        weekly: { friday: [{ start: '20:00', end: '23:00' }], saturday: [{ start: '09:00', end: '17:00' }] },
        holidays: [],
      },
      start: '2011-12-28T00:00:00Z',
      end: '2012-01-03T00:00:00Z',
      expected: 660,
    },
    {
      name: 'is zero on a calendar that is never open, without throwing',
      cal: { timezone: 'UTC', weekly: { monday: [] }, holidays: [] },
      start: '2025-01-01T00:00:00Z',
      end: '2027-01-01T00:00:00Z',
      expected: 0,
    },
  ])('$name', ({ cal, start, end, expected }) => {
    expect(businessMinutesBetween(at(start), at(end), cal)).toBe(expected);
  });
});

describe('isBusinessTime', () => {
  it.each([
    { name: 'is open at the opening minute', cal: utcOffice, instant: '2026-01-19T09:00:00Z', open: true },
    {
      name: 'is open a millisecond before closing',
      cal: utcOffice,
      instant: '2026-01-19T16:59:59.999Z',
      open: true,
    },
    { name: 'is closed at the closing minute', cal: utcOffice, instant: '2026-01-19T17:00:00Z', open: false },
    { name: 'is closed on a Saturday', cal: utcOffice, instant: '2026-01-17T12:00:00Z', open: false },
    {
      name: 'is closed on a holiday',
      cal: { ...utcOffice, holidays: ['2026-01-19'] },
      instant: '2026-01-19T12:00:00Z',
      open: false,
    },
    {
      name: 'is open at any time on a 24×7 calendar',
      cal: alwaysOpen,
      instant: '2026-01-17T03:00:00Z',
      open: true,
    },
    {
      name: 'is closed on a 24×7 calendar’s holiday',
      cal: { ...alwaysOpen, holidays: ['2026-01-17'] },
      instant: '2026-01-17T03:00:00Z',
      open: false,
    },
    {
      name: 'reads the weekday in the calendar’s timezone',
      cal: { ...utcOffice, timezone: 'Asia/Tokyo' },
      instant: '2026-01-16T00:30:00Z',
      open: true,
    },
    {
      name: 'is open where a skipped calendar day’s hours land on the next day',
      cal: { timezone: 'Pacific/Apia', weekly: { friday: [{ start: '20:00', end: '23:00' }] }, holidays: [] },
      instant: '2011-12-31T21:00:00+14:00',
      open: true,
    },
  ])('$name', ({ cal, instant, open }) => {
    expect(isBusinessTime(at(instant), cal)).toBe(open);
  });
});

describe('nextBusinessInstant', () => {
  it.each([
    {
      name: 'is the instant itself when already open',
      instant: '2026-01-19T10:00:00Z',
      expected: '2026-01-19T10:00:00Z',
    },
    {
      name: 'is the next morning after closing',
      instant: '2026-01-19T17:00:00Z',
      expected: '2026-01-20T09:00:00Z',
    },
    {
      name: 'is Monday morning from a weekend',
      instant: '2026-01-17T12:00:00Z',
      expected: '2026-01-19T09:00:00Z',
    },
  ])('$name', ({ instant, expected }) => {
    expect(nextBusinessInstant(at(instant), utcOffice).toISOString()).toBe(at(expected).toISOString());
  });

  it('throws a RangeError on a calendar that is never open', () => {
    const never: BusinessCalendar = { timezone: 'UTC', weekly: { sunday: [] }, holidays: [] };
    expect(() => nextBusinessInstant(at('2026-01-19T10:00:00Z'), never)).toThrow(RangeError);
  });
});

describe('business calendar properties', () => {
  // Zones with one-hour, half-hour (Lord Howe), midnight (Santiago) and no DST changes.
  const timezoneArb = fc.constantFrom(
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Australia/Lord_Howe',
    'America/Santiago',
    'Asia/Kolkata',
  );
  const clock = (minute: number) =>
    `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  const intervalArb = fc
    .integer({ min: 0, max: 1439 })
    .chain((start) => fc.integer({ min: start + 1, max: 1440 }).map((end) => ({ start, end })));
  const openMinutes = (weekly: BusinessCalendar['weekly']) =>
    WEEKDAYS.flatMap((day) => weekly[day] ?? []).reduce(
      (sum, { start, end }) => sum + clockToMinutes(end) - clockToMinutes(start),
      0,
    );
  const clockToMinutes = (value: string) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3));
  const dayArb = fc.array(
    intervalArb.map(({ start, end }) => ({ start: clock(start), end: clock(end) })),
    { maxLength: 3 },
  );
  // A few open hours a week keep 20,000 minutes within a year or so of day walking.
  const weeklyArb = fc.oneof(
    fc.constant({}),
    fc
      .record(
        Object.fromEntries(WEEKDAYS.map((day) => [day, dayArb])) as Record<
          (typeof WEEKDAYS)[number],
          typeof dayArb
        >,
        {
          requiredKeys: [],
        },
      )
      .filter((weekly) => openMinutes(weekly) >= 600),
  );
  const firstDay = Temporal.PlainDate.from('2025-01-01');
  const holidaysArb = fc.array(
    fc.integer({ min: 0, max: 3 * 366 }).map((offset) => firstDay.add({ days: offset }).toString()),
    { maxLength: 30 },
  );
  const calendarArb = fc.record({ timezone: timezoneArb, weekly: weeklyArb, holidays: holidaysArb });
  const instantArb = fc
    .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) - 1 })
    .map((ms) => new Date(ms));
  const minutesArb = fc.integer({ min: 0, max: 20_000 });
  // Up to two months apart: long enough to span weeks and DST changes, short enough to stay fast.
  const gapArb = fc.integer({ min: 0, max: 60 * 86_400_000 });
  const options = { numRuns: 200 };

  it('measures exactly the added minutes between the start and the result', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, (cal, start, minutes) => {
        expect(businessMinutesBetween(start, addBusinessMinutes(start, minutes, cal), cal)).toBe(minutes);
      }),
      options,
    );
  });

  it('measures fractional minutes to within a millisecond, never short', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.double({ min: 0, max: 20_000, noNaN: true }),
        (cal, start, minutes) => {
          const measured = businessMinutesBetween(start, addBusinessMinutes(start, minutes, cal), cal);
          expect(measured).toBeGreaterThanOrEqual(minutes - 1e-9);
          expect(measured).toBeLessThanOrEqual(minutes + 1 / 60_000 + 1e-9);
        },
      ),
      options,
    );
  });

  it('never moves the result earlier when more minutes are added', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, minutesArb, (cal, start, a, b) => {
        const [fewer, more] = a <= b ? [a, b] : [b, a];
        expect(addBusinessMinutes(start, fewer, cal).getTime()).toBeLessThanOrEqual(
          addBusinessMinutes(start, more, cal).getTime(),
        );
      }),
      options,
    );
  });

  it('lands inside or at the end of an open interval for positive minutes', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 1, max: 20_000 }), (cal, start, minutes) => {
        const result = addBusinessMinutes(start, minutes, cal);
        expect(isBusinessTime(new Date(result.getTime() - 1), cal)).toBe(true);
      }),
      options,
    );
  });

  it('adds up the minutes of consecutive ranges', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, gapArb, gapArb, (cal, a, ab, bc) => {
        const b = new Date(a.getTime() + ab);
        const c = new Date(b.getTime() + bc);
        const sum = businessMinutesBetween(a, b, cal) + businessMinutesBetween(b, c, cal);
        expect(sum).toBeCloseTo(businessMinutesBetween(a, c, cal), 6);
      }),
      options,
    );
  });

  it('opens at the next business instant with no business time before it', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (cal, start) => {
        const next = nextBusinessInstant(start, cal);
        expect(isBusinessTime(next, cal)).toBe(true);
        expect(businessMinutesBetween(start, next, cal)).toBe(0);
      }),
      options,
    );
  });

  it('walks 24×7 days in any timezone as plain elapsed time', () => {
    fc.assert(
      fc.property(timezoneArb, instantArb, minutesArb, (timezone, start, minutes) => {
        const walked: BusinessCalendar = { timezone, weekly: {}, holidays: farHoliday };
        const expected = start.getTime() + minutes * 60_000;
        expect(addBusinessMinutes(start, minutes, walked).getTime()).toBe(expected);
      }),
      options,
    );
  });
});
