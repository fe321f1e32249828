import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatencyRecorder } from './latency.ts';

test('percentiles are nearest-rank over every sample', () => {
  const recorder = new LatencyRecorder();
  for (let ms = 100; ms >= 1; ms--) recorder.record(ms);
  const summary = recorder.summary();
  assert.equal(summary.count, 100);
  assert.equal(summary.p50, 50);
  assert.equal(summary.p95, 95);
  assert.equal(summary.p99, 99);
  assert.equal(summary.max, 100);
  assert.equal(summary.mean, 50.5);
});

test('an empty recorder reports zeros', () => {
  assert.deepEqual(new LatencyRecorder().summary(), {
    count: 0,
    mean: 0,
    p50: 0,
    p90: 0,
    p95: 0,
    p99: 0,
    max: 0,
  });
});
