import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../db/orm.ts';
import { BatchedRateLimiter } from './batched-rate-limiter.ts';
import { type RateLimitRule, rateLimitKey } from './rate-limiter.ts';

const db = useTestDatabase();
let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm(db.url, { poolSize: 5 });
});
afterAll(async () => {
  await orm?.close(true);
});

// Each test uses its own rule name, so the tests share one table without seeing each other's counters.
function rule(name: string, points: number, windowSeconds = 600): RateLimitRule {
  return { name, points, windowSeconds };
}

async function sharedPoints(limit: RateLimitRule, subject: string): Promise<number | undefined> {
  const rows = await orm.em
    .fork()
    .execute<{ points: number }[]>('select points from rate_limit_counters where key = ?', [
      rateLimitKey(limit, subject),
    ]);
  return rows[0]?.points;
}

describe('BatchedRateLimiter', () => {
  it('enforces the limit exactly within one process, before anything reaches the database', async () => {
    const limit = rule('batched-exact', 3);
    const limiter = new BatchedRateLimiter(orm, limit);
    const results = [1, 2, 3, 4].map(() => limiter.consume('user-1'));
    expect(results.map((result) => result.allowed)).toEqual([true, true, true, false]);
    expect(results.map((result) => result.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3]?.retryAfterSeconds).toBeGreaterThanOrEqual(599);
    expect(await sharedPoints(limit, 'user-1')).toBeUndefined();
    await limiter.flush();
    expect(await sharedPoints(limit, 'user-1')).toBe(3);
    // Another subject has its own count.
    expect(limiter.consume('user-2').allowed).toBe(true);
  });

  it('adds the hits of several processes to one shared count, and learns it at each flush', async () => {
    const limit = rule('batched-shared', 4);
    const first = new BatchedRateLimiter(orm, limit);
    const second = new BatchedRateLimiter(orm, limit);
    for (let hit = 0; hit < 3; hit++) expect(first.consume('user-1').allowed).toBe(true);
    await first.flush();
    // The second process has not flushed yet, so it allows what it has room for by its own count...
    expect(second.consume('user-1').allowed).toBe(true);
    await second.flush();
    expect(await sharedPoints(limit, 'user-1')).toBe(4);
    // ...and once it has learnt the shared count, refuses.
    expect(second.consume('user-1').allowed).toBe(false);
    // The first overshoots by at most what it allows until its next flush (one interval), then refuses.
    expect(first.consume('user-1').allowed).toBe(true);
    await first.flush();
    expect(await sharedPoints(limit, 'user-1')).toBe(5);
    expect(first.consume('user-1').allowed).toBe(false);
  });

  it('loses no hit and counts none twice when hits arrive during a flush', async () => {
    const limit = rule('batched-inflight', 100);
    const limiter = new BatchedRateLimiter(orm, limit);
    limiter.consume('user-1');
    limiter.consume('user-1');
    const flushing = limiter.flush();
    limiter.consume('user-1');
    await flushing;
    await limiter.flush();
    expect(await sharedPoints(limit, 'user-1')).toBe(3);
    expect(limiter.consume('user-1').remaining).toBe(96);
  });

  it('flushes on its own shortly after a hit', async () => {
    const limit = rule('batched-timer', 10);
    const limiter = new BatchedRateLimiter(orm, limit);
    limiter.consume('user-1');
    await expect.poll(() => sharedPoints(limit, 'user-1'), { timeout: 5_000 }).toBe(1);
  });

  it('starts a new window when the old one ends', async () => {
    const limit = rule('batched-window', 1, 1);
    const limiter = new BatchedRateLimiter(orm, limit);
    expect(limiter.consume('user-1').allowed).toBe(true);
    await limiter.flush();
    expect(limiter.consume('user-1').allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(limiter.consume('user-1').allowed).toBe(true);
    await limiter.flush();
    expect(await sharedPoints(limit, 'user-1')).toBe(1);
  });

  it('stores nothing for a limit that is off', async () => {
    const limit = rule('batched-off', 0);
    const limiter = new BatchedRateLimiter(orm, limit);
    for (let hit = 0; hit < 5; hit++) expect(limiter.consume('user-1').allowed).toBe(true);
    await limiter.flush();
    expect(await sharedPoints(limit, 'user-1')).toBeUndefined();
  });
});
