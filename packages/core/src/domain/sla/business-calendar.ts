import { Temporal } from 'temporal-polyfill';
import { type BusinessCalendar, WEEKDAYS } from './business-calendar.schema.ts';

// Business-time arithmetic for SLA clocks (SPEC §6).
//
// Model: each open interval is written in local wall-clock time of the calendar's timezone. Its ends are
// turned into instants with Temporal's 'compatible' disambiguation (a time in a spring-forward gap moves
// forward by the gap, an ambiguous fall-back time takes the earlier instant), and business time is the
// union of the resulting instant ranges, counted in real elapsed milliseconds. So 01:00–04:00 in
// Europe/Berlin lasts 2 hours on the spring-forward day and 4 hours on the fall-back day.
//
// Decisions:
// - A `weekly` with no weekday entry (`{}`) means open 24×7; holidays still close their whole local day.
//   A `weekly` with entries that are all empty arrays is never open.
// - `'24:00'` as an end means midnight at the end of that day; the interval belongs to the day it is listed
//   under, so it is closed on that day's holiday, not the next day's.
// - Unsorted or overlapping intervals are merged (they form a union, nothing is counted twice).
// - `addBusinessMinutes` with 0 minutes returns the start instant as is, even outside business hours; with
//   more it ends inside an interval or exactly at its close, never at the next opening. Fractional minutes
//   are fine; the result rounds up to a whole millisecond, since a Date holds no less.

const MS_PER_MINUTE = 60_000;
const MINUTES_PER_DAY = 1_440;
// A deadline search gives up after this many consecutive closed days rather than loop forever.
const MAX_CLOSED_DAYS = 400;
// Largest epoch milliseconds a Date can hold (ECMA-262 TimeClip).
const MAX_DATE_MS = 8.64e15;

type Span = readonly [startMs: number, endMs: number];
type DayMinutes = readonly (readonly [startMinute: number, endMinute: number])[];

interface CompiledCalendar {
  readonly timeZone: string;
  /** True when open 24×7 with no holidays, where business time is plain elapsed time. */
  readonly continuous: boolean;
  /** Merged open minutes of the day, indexed by ISO day of week minus one (Monday = 0). */
  readonly week: readonly DayMinutes[];
  readonly holidays: ReadonlySet<string>;
}

/** The instant when `minutes` business minutes have elapsed since `start` (0 gives a copy of `start`). */
export function addBusinessMinutes(start: Date, minutes: number, cal: BusinessCalendar): Date {
  const startMs = instantMs(start, 'start');
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`minutes must be a finite number >= 0, got ${minutes}`);
  }
  // Zero elapsed time is the start itself, even outside business hours: the clock has nothing to run.
  if (minutes === 0) return new Date(startMs);
  let remaining = minutes * MS_PER_MINUTE;
  // Business time never runs faster than real time, so this bound is hit before a long useless walk.
  if (startMs + remaining > MAX_DATE_MS) throw new RangeError('result is beyond the range of Date');
  const compiled = compileCalendar(cal);
  if (compiled.continuous) return new Date(startMs + wholeMs(remaining));
  for (const [from, to] of openSpans(compiled, startMs, Number.POSITIVE_INFINITY)) {
    // `<=` ends at the close of an interval rather than at the next opening.
    if (remaining <= to - from) return new Date(from + wholeMs(remaining));
    remaining -= to - from;
  }
  throw new RangeError('calendar has no business hours');
}

/** Business minutes in [start, end), possibly fractional; 0 when `end` is not after `start`. */
export function businessMinutesBetween(start: Date, end: Date, cal: BusinessCalendar): number {
  const startMs = instantMs(start, 'start');
  const endMs = instantMs(end, 'end');
  if (endMs <= startMs) return 0;
  const compiled = compileCalendar(cal);
  if (compiled.continuous) return (endMs - startMs) / MS_PER_MINUTE;
  // Sum whole milliseconds and divide once, so integer results stay exact.
  let totalMs = 0;
  for (const [from, to] of openSpans(compiled, startMs, endMs)) {
    if (from >= endMs) break;
    totalMs += Math.min(to, endMs) - from;
  }
  return totalMs / MS_PER_MINUTE;
}

/** Whether `at` falls inside an open interval (start inclusive, end exclusive). */
export function isBusinessTime(at: Date, cal: BusinessCalendar): boolean {
  const atMs = instantMs(at, 'at');
  const compiled = compileCalendar(cal);
  if (compiled.continuous) return true;
  for (const [from] of openSpans(compiled, atMs, atMs)) return from === atMs;
  return false;
}

/** The first business instant at or after `at` (`at` itself when already open); throws if none is near. */
export function nextBusinessInstant(at: Date, cal: BusinessCalendar): Date {
  const atMs = instantMs(at, 'at');
  const compiled = compileCalendar(cal);
  if (compiled.continuous) return new Date(atMs);
  for (const [from] of openSpans(compiled, atMs, Number.POSITIVE_INFINITY)) return new Date(from);
  throw new RangeError('calendar has no business hours');
}

/**
 * Rounds a positive remainder up to whole milliseconds, so a due time is never early; float noise under a
 * nanosecond is not rounded up. Rounding the offset, not the epoch sum, keeps tiny amounts from vanishing.
 */
function wholeMs(remaining: number): number {
  return Math.max(1, Math.ceil(remaining - 1e-6));
}

function instantMs(date: Date, name: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}

function compileCalendar(cal: BusinessCalendar): CompiledCalendar {
  const alwaysOpen = WEEKDAYS.every((day) => cal.weekly[day] === undefined);
  const week = WEEKDAYS.map((day) =>
    alwaysOpen ? [[0, MINUTES_PER_DAY] as const] : mergeMinutes(cal.weekly[day] ?? []),
  );
  return {
    timeZone: cal.timezone,
    continuous: alwaysOpen && cal.holidays.length === 0,
    week,
    holidays: new Set(cal.holidays),
  };
}

function mergeMinutes(intervals: readonly { start: string; end: string }[]): DayMinutes {
  const sorted = intervals
    .map((interval) => [clockMinutes(interval.start), clockMinutes(interval.end)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function clockMinutes(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** Open spans of one local day as sorted instants; a DST gap can make a span empty, so those are dropped. */
function daySpans(compiled: CompiledCalendar, date: Temporal.PlainDate): Span[] {
  if (compiled.holidays.has(date.toString())) return [];
  const minutes = compiled.week[date.dayOfWeek - 1] ?? [];
  const spans: Span[] = [];
  for (const [startMinute, endMinute] of minutes) {
    const from = wallClockMs(compiled.timeZone, date, startMinute);
    const to = wallClockMs(compiled.timeZone, date, endMinute);
    if (to > from) spans.push([from, to]);
  }
  // Gap-shifted ends can reorder spans of a day; the caller merges overlaps.
  return spans.sort((a, b) => a[0] - b[0]);
}

function wallClockMs(timeZone: string, date: Temporal.PlainDate, minuteOfDay: number): number {
  const day = minuteOfDay >= MINUTES_PER_DAY ? date.add({ days: 1 }) : date;
  const minute = minuteOfDay % MINUTES_PER_DAY;
  return day
    .toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 })
    .toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
}

/**
 * Disjoint open spans in time order, clipped to start at `fromMs`, walking local days lazily.
 * Bounded by `untilMs` (spans may run past it; the caller clips), else throws after a long closed stretch.
 */
function* openSpans(compiled: CompiledCalendar, fromMs: number, untilMs: number): Generator<Span, void> {
  const localDate = (ms: number) =>
    Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(compiled.timeZone).toPlainDate();
  const lastDate = Number.isFinite(untilMs) ? localDate(untilMs).add({ days: 1 }) : undefined;
  // Start a day early: a span listed under yesterday can end after local midnight in instants.
  let date = localDate(fromMs).subtract({ days: 1 });
  let cursor = fromMs;
  let closedDays = 0;
  // Spans of earlier days wait one day, because a skipped calendar day (Pacific/Apia, 2011-12-30) can map
  // a day's spans after the next day's; sorting across two days restores time order.
  let pending: Span[] = [];
  for (;;) {
    const done = lastDate !== undefined && Temporal.PlainDate.compare(date, lastDate) > 0;
    const today = done ? [] : daySpans(compiled, date);
    if (today.length === 0 && !done && lastDate === undefined && ++closedDays > MAX_CLOSED_DAYS) {
      throw new RangeError('calendar has no business hours');
    }
    if (today.length > 0) closedDays = 0;
    const threshold = done ? Number.POSITIVE_INFINITY : (today[0]?.[0] ?? Number.POSITIVE_INFINITY);
    const later: Span[] = [];
    for (const span of pending) {
      if (span[0] > threshold) {
        later.push(span);
        continue;
      }
      const from = Math.max(span[0], cursor);
      if (span[1] > from) {
        yield [from, span[1]];
        cursor = span[1];
      }
    }
    if (done) return;
    pending = later.concat(today).sort((a, b) => a[0] - b[0]);
    date = date.add({ days: 1 });
  }
}
