// Timestamps as PostgreSQL writes them, read into Dates. Plain statements get `timestamptz` columns as
// text (the ORM's connection keeps them so: `2026-11-24 04:10:00.123456+00`), and JSON aggregates in
// ISO form (`2026-11-24T04:10:00.123456+00:00`). `new Date(text)` reads both, through the engine's
// general date parser, at about 0.2–0.4 µs a value; a page of tickets has about a hundred
// (docs/PERFORMANCE.md, "What changed"). This reads the two fixed layouts digit by digit and hands
// anything else (years past 9999, BC, `infinity`) to `new Date`.

/** The number the `length` ASCII digits of `text` at `at` spell, or NaN if one is not a digit. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

const COLON = 58;
const DOT = 46;
const PLUS = 43;
const MINUS = 45;

/**
 * A PostgreSQL `timestamptz` in its text form (`YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]]`, or with `T`
 * for the space) as a Date, to the millisecond as `new Date(text)` reads it.
 */
export function timestampFromText(text: string): Date {
  const separator = text.charCodeAt(10);
  if (
    text.length < 22 ||
    text.charCodeAt(4) !== MINUS ||
    text.charCodeAt(7) !== MINUS ||
    (separator !== 32 && separator !== 84) ||
    text.charCodeAt(13) !== COLON ||
    text.charCodeAt(16) !== COLON
  )
    return new Date(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hours = digits(text, 11, 2);
  const minutes = digits(text, 14, 2);
  const seconds = digits(text, 17, 2);
  let at = 19;
  let milliseconds = 0;
  if (text.charCodeAt(at) === DOT) {
    at += 1;
    let scale = 100;
    while (at < text.length) {
      const digit = text.charCodeAt(at) - 48;
      if (digit < 0 || digit > 9) break;
      // Digits past the millisecond are dropped, as `new Date` drops them.
      milliseconds += digit * scale;
      scale /= 10;
      at += 1;
    }
    milliseconds = Math.trunc(milliseconds);
  }
  const sign = text.charCodeAt(at);
  if (sign !== PLUS && sign !== MINUS) return new Date(text);
  let offsetSeconds = digits(text, at + 1, 2) * 3600;
  at += 3;
  // Minutes, and for historic offsets seconds too (`+00:09:21`, Paris before 1911).
  for (let part = 60; at < text.length && part >= 1; part /= 60) {
    if (text.charCodeAt(at) !== COLON) return new Date(text);
    offsetSeconds += digits(text, at + 1, 2) * part;
    at += 3;
  }
  // Anything left over, or a field out of range (month 13, a year before 1000 that `Date.UTC` would
  // read as 19xx), is not what this reads: `new Date` decides what it is.
  if (at !== text.length || year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || hours > 23)
    return new Date(text);
  const local = (daysFromCivil(year, month, day) * 86_400 + hours * 3600 + minutes * 60 + seconds) * 1000;
  const time = local + milliseconds - (sign === PLUS ? 1 : -1) * offsetSeconds * 1000;
  return Number.isNaN(time) ? new Date(text) : new Date(time);
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (the civil-from-days inverse). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
