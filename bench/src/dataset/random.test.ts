import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoTimestamp, Random, uuidv7At } from './random.ts';

test('isoTimestamp formats like Date.toISOString', () => {
  const random = new Random(1);
  for (let i = 0; i < 20_000; i++) {
    const ms = 1.5e12 + random.next() * 2e11;
    assert.equal(isoTimestamp(ms), new Date(Math.floor(ms)).toISOString());
  }
});

test('uuidv7At makes version 7 ids that sort by time', () => {
  const random = new Random(2);
  const earlier = uuidv7At(Date.UTC(2025, 0, 1), random);
  const later = uuidv7At(Date.UTC(2025, 0, 1) + 1, random);
  assert.match(earlier, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(earlier < later);
  assert.equal(earlier.slice(0, 13).replace('-', ''), Date.UTC(2025, 0, 1).toString(16).padStart(12, '0'));
});

test('the same seed gives the same sequence', () => {
  const a = new Random(42);
  const b = new Random(42);
  for (let i = 0; i < 100; i++) assert.equal(a.next(), b.next());
});
