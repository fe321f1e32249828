import { describe, expect, it } from 'vitest';
import { formatBytes, formatRelativeTime } from './format.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [5_000, '4.9 KB'],
    [14_540, '14 KB'],
    [25 * 1024 * 1024, '25 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
  ])('shows %i bytes as %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});

describe('formatRelativeTime', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  it.each([
    ['2026-11-22T11:59:50Z', 'now'],
    ['2026-11-22T11:55:00Z', '5 minutes ago'],
    ['2026-11-22T09:00:00Z', '3 hours ago'],
    ['2026-11-21T12:00:00Z', 'yesterday'],
    ['2026-11-22T14:00:00Z', 'in 2 hours'],
  ])('says %s is %s', (iso, expected) => {
    expect(formatRelativeTime(new Date(iso), now, 'en')).toBe(expected);
  });
});
