import { describe, expect, it } from 'vitest';
import { isoTime, jsonText } from './json-text.ts';

describe('jsonText', () => {
  it('writes the same text as JSON.stringify', () => {
    const replaced = new Date(0);
    Object.defineProperty(replaced, 'toJSON', { value: () => 'my own' });
    const nullPrototype = Object.assign(Object.create(null) as object, { at: new Date(1), n: 1 });
    const values: unknown[] = [
      { items: [{ id: 'a', at: new Date('2026-11-24T04:10:00.123Z'), none: null }], nextCursor: null },
      [
        new Date(0),
        new Date(Number.NaN),
        new Date('+012345-01-01T00:00:00Z'),
        new Date('0099-12-31T23:59:59.999Z'),
      ],
      new Date('1969-07-20T20:17:40Z'),
      { skipped: undefined, fn: () => 1, symbol: Symbol('s'), kept: 'x' },
      [undefined, () => 1, Symbol('s')],
      new Array(3).fill(1, 0, 1),
      { nested: { deeper: [{ at: new Date(86_400_000) }] } },
      { text: 'quotes " and \\ and \n and \u2028', number: -0, infinite: Number.POSITIVE_INFINITY },
      { map: new Map([['a', 1]]), set: new Set([1]), regexp: /x/g, boxed: new String('s') },
      { custom: { toJSON: () => ({ at: new Date(2) }) }, replaced },
      nullPrototype,
      JSON.parse('{"__proto__": {"at": 1}, "b": 2}'),
      'text',
      42,
      null,
      true,
    ];
    for (const value of values) expect(jsonText(value)).toBe(JSON.stringify(value));
    expect(jsonText(undefined)).toBeUndefined();
  });

  it('writes the Dates of deeply nested values too', () => {
    let deep: unknown = { at: new Date(123_456_789) };
    for (let i = 0; i < 100; i++) deep = i % 2 ? { next: deep } : [deep];
    expect(jsonText(deep)).toBe(JSON.stringify(deep));
  });

  it('refuses what JSON.stringify refuses', () => {
    const cycle: Record<string, unknown> = { at: new Date(0) };
    cycle.self = cycle;
    expect(() => jsonText(cycle)).toThrow(TypeError);
    expect(() => jsonText({ big: 1n })).toThrow(TypeError);
  });
});

describe('isoTime', () => {
  it('is toISOString for the years 1000 to 9999, across the calendar', () => {
    for (
      let time = Date.UTC(1000, 0, 1);
      time < Date.UTC(9999, 11, 31);
      time += 86_400_000 * 37 + 3_600_001 * 7 + 61_013
    ) {
      const date = new Date(time);
      expect(isoTime(date)).toBe(date.toISOString());
    }
    const last = new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999));
    expect(isoTime(last)).toBe(last.toISOString());
  });

  it('hands other years to toISOString and writes an invalid Date as null', () => {
    for (const text of [
      '0999-12-31T23:59:59.999Z',
      '-000001-01-01T00:00:00.000Z',
      '+010000-01-01T00:00:00.000Z',
    ]) {
      expect(isoTime(new Date(text))).toBe(text);
    }
    expect(isoTime(new Date(Number.NaN))).toBeNull();
  });
});
