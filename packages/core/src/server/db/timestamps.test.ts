import { describe, expect, it } from 'vitest';
import { timestampFromText } from './timestamps.ts';

/** PostgreSQL's two text forms of one instant, at an offset (`+05:30`) and a fraction (`.123456`). */
function pgText(time: number, offset: string, fraction: string, separator: ' ' | 'T'): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours = '0', minutes = '0'] = offset.slice(1).split(':');
  const shifted = new Date(time + sign * (Number(hours) * 60 + Number(minutes)) * 60_000).toISOString();
  return `${shifted.slice(0, 10)}${separator}${shifted.slice(11, 19)}${fraction}${offset}`;
}

describe('timestampFromText', () => {
  it('reads every layout PostgreSQL writes a timestamptz in as new Date reads it', () => {
    const offsets = ['+00', '+00:00', '-08', '+05:30', '-03:30', '+14', '-12'];
    const fractions = (ms: number) => {
      const three = String(ms).padStart(3, '0');
      return ['', `.${three}`, `.${three}456`, `.${three.slice(0, 1)}`, `.${three}9`];
    };
    let checked = 0;
    // Instants from 1970 to 2100, a leap day and the turn of a year among them.
    const instants = [0, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2026, 11, 31, 23, 30)];
    for (let i = 0; i < 200; i++) instants.push(Math.round(((i * 7919) % 200) * 2.1e10 + i * 86_399_123));
    for (const time of instants) {
      for (const offset of offsets) {
        for (const fraction of fractions(new Date(time).getUTCMilliseconds())) {
          // JSON's form (`T`) always has the offset's minutes; new Date reads `T…+00` as nothing.
          for (const separator of offset.includes(':') ? ([' ', 'T'] as const) : ([' '] as const)) {
            const text = pgText(time, offset, fraction, separator);
            expect(timestampFromText(text).getTime(), text).toBe(new Date(text).getTime());
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBe(instants.length * (offsets.length * 5 + 3 * 5));
  });

  it('drops digits past the millisecond, as new Date does', () => {
    expect(timestampFromText('2026-11-24 04:10:00.123999+00').toISOString()).toBe('2026-11-24T04:10:00.123Z');
    expect(timestampFromText('2026-11-24 04:10:00.5+00').toISOString()).toBe('2026-11-24T04:10:00.500Z');
  });

  it('reads a historic offset with seconds, which new Date does not', () => {
    // Paris mean time, as PostgreSQL writes a timestamptz of 1900 in that zone.
    expect(timestampFromText('1900-01-01 00:09:21+00:09:21').toISOString()).toBe('1900-01-01T00:00:00.000Z');
    expect(timestampFromText('1900-01-01 00:00:00-00:09:21').toISOString()).toBe('1900-01-01T00:09:21.000Z');
  });

  it('hands what it does not read to new Date', () => {
    for (const text of [
      'infinity',
      '-infinity',
      '12345-01-01 00:00:00+00',
      '0044-03-15 12:00:00+00 BC',
      '0099-01-01 00:00:00+00',
      '2026-13-01 00:00:00+00',
      '2026-11-24 04:10:00',
      '2026-11-24 04:10:00+00 trailing',
      '2026-11-24 04:10:0x+00',
      '',
    ]) {
      const expected = new Date(text).getTime();
      expect(timestampFromText(text).getTime(), text).toEqual(expected);
    }
  });
});
