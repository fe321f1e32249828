import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../db/orm.ts';
import {
  consumeRateLimit,
  peekRateLimit,
  purgeExpiredRateLimits,
  RATE_LIMIT_RULES,
  type RateLimitRule,
  rateLimitKey,
  resetRateLimit,
} from './rate-limiter.ts';

const db = useTestDatabase();
let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm(db.url, { poolSize: 20 });
});
afterAll(async () => {
  await orm?.close(true);
});

// Each test uses its own rule name, so the tests share one table without seeing each other's counters.
function rule(name: string, points: number, windowSeconds = 600): RateLimitRule {
  return { name, points, windowSeconds };
}

async function counter(key: string) {
  const rows = await orm.em
    .fork()
    .execute<{ points: number; expired: boolean }[]>(
      'select points, expires_at <= now() as expired from rate_limit_counters where key = ?',
      [key],
    );
  return rows[0];
}

async function expire(key: string) {
  await orm.em
    .fork()
    .execute("update rate_limit_counters set expires_at = now() - interval '1 second' where key = ?", [key]);
}

describe('consumeRateLimit', () => {
  it('allows up to the limit, then refuses with a Retry-After within the window', async () => {
    const limit = rule('test-allows', 3, 900);
    const results = [];
    for (let hit = 0; hit < 5; hit++)
      results.push(await consumeRateLimit(orm.em.fork(), limit, '203.0.113.9'));

    expect(results.map((result) => result.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((result) => result.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(results.slice(0, 3).map((result) => result.retryAfterSeconds)).toEqual([0, 0, 0]);
    const refused = results[3];
    expect(refused?.retryAfterSeconds).toBeGreaterThan(890);
    expect(refused?.retryAfterSeconds).toBeLessThanOrEqual(900);
    // One window: every answer names the same end, about 15 minutes from the first hit.
    expect(new Set(results.map((result) => result.resetAt.getTime())).size).toBe(1);
    expect(refused?.resetAt.getTime()).toBeGreaterThan(Date.now() + 890_000);
  });

  it('counts a hit of several points at once', async () => {
    const limit = rule('test-cost', 10);
    expect(await consumeRateLimit(orm.em.fork(), limit, 'user-1', 7)).toMatchObject({
      allowed: true,
      remaining: 3,
    });
    expect(await consumeRateLimit(orm.em.fork(), limit, 'user-1', 4)).toMatchObject({
      allowed: false,
      remaining: 0,
    });
    await expect(consumeRateLimit(orm.em.fork(), limit, 'user-1', 0)).rejects.toThrow(RangeError);
  });

  it('starts a new window once the old one has expired', async () => {
    const limit = rule('test-expiry', 2);
    const key = rateLimitKey(limit, 'user-2');
    await consumeRateLimit(orm.em.fork(), limit, 'user-2');
    await consumeRateLimit(orm.em.fork(), limit, 'user-2');
    expect((await consumeRateLimit(orm.em.fork(), limit, 'user-2')).allowed).toBe(false);

    await expire(key);
    const fresh = await consumeRateLimit(orm.em.fork(), limit, 'user-2');
    expect(fresh).toMatchObject({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    expect(fresh.resetAt.getTime()).toBeGreaterThan(Date.now() + 590_000);
    expect(await counter(key)).toEqual({ points: 1, expired: false });
  });

  it('starts a new window when a one-second window runs out by itself', async () => {
    const limit = rule('test-one-second', 1, 1);
    expect((await consumeRateLimit(orm.em.fork(), limit, 'user-3')).allowed).toBe(true);
    const refused = await consumeRateLimit(orm.em.fork(), limit, 'user-3');
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    await new Promise((wake) => setTimeout(wake, 1_100));
    expect((await consumeRateLimit(orm.em.fork(), limit, 'user-3')).allowed).toBe(true);
  });

  it('reads the clock per statement, not per transaction, inside a long transaction', async () => {
    const limit = rule('test-transaction', 1, 1);
    await orm.em.fork().transactional(async (tx) => {
      expect((await consumeRateLimit(tx, limit, 'user-4')).allowed).toBe(true);
      // now() would still be the transaction's start here and keep the window open forever.
      await new Promise((wake) => setTimeout(wake, 1_100));
      expect((await consumeRateLimit(tx, limit, 'user-4')).allowed).toBe(true);
    });
  });

  it('is off at 0 points and writes nothing', async () => {
    const off = rule('test-off', 0);
    for (let hit = 0; hit < 3; hit++) {
      expect(await consumeRateLimit(orm.em.fork(), off, 'user-5')).toMatchObject({
        allowed: true,
        remaining: Number.POSITIVE_INFINITY,
        retryAfterSeconds: 0,
      });
    }
    expect(await peekRateLimit(orm.em.fork(), off, 'user-5')).toMatchObject({ allowed: true });
    expect(await counter(rateLimitKey(off, 'user-5'))).toBeUndefined();
  });

  it('lets exactly the limit through when 50 requests race for one key', async () => {
    const limit = rule('test-race', 10);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => consumeRateLimit(orm.em.fork(), limit, 'hot-key')),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(10);
    expect(await counter(rateLimitKey(limit, 'hot-key'))).toEqual({ points: 50, expired: false });
  });

  it('keeps each subject and each rule on its own counter', async () => {
    const perIp = rule('test-isolation-ip', 1);
    const perAccount = rule('test-isolation-account', 1);
    expect((await consumeRateLimit(orm.em.fork(), perIp, 'a')).allowed).toBe(true);
    expect((await consumeRateLimit(orm.em.fork(), perIp, 'a')).allowed).toBe(false);
    expect((await consumeRateLimit(orm.em.fork(), perIp, 'b')).allowed).toBe(true);
    expect((await consumeRateLimit(orm.em.fork(), perAccount, 'a')).allowed).toBe(true);
  });

  it('hashes a subject too long for the key column', async () => {
    const limit = rule('test-long', 1);
    const long = `${'x'.repeat(300)}@example.com`;
    const other = `${'x'.repeat(300)}@example.org`;
    const key = rateLimitKey(limit, long);
    expect(key).toMatch(/^test-long:sha256:[0-9a-f]{64}$/);
    expect(rateLimitKey(limit, 'short')).toBe('test-long:short');

    expect((await consumeRateLimit(orm.em.fork(), limit, long)).allowed).toBe(true);
    expect((await consumeRateLimit(orm.em.fork(), limit, long)).allowed).toBe(false);
    expect((await consumeRateLimit(orm.em.fork(), limit, other)).allowed).toBe(true);
    expect(await counter(key)).toEqual({ points: 2, expired: false });
  });

  it('never lets a literal subject name a hashed counter', () => {
    const limit = rule('test-hash-prefix', 1);
    const long = 'y'.repeat(300);
    const hashed = rateLimitKey(limit, long);
    const forged = hashed.slice('test-hash-prefix:'.length);
    expect(rateLimitKey(limit, forged)).not.toBe(hashed);
  });

  it('refuses a rule that is not whole numbers', async () => {
    await expect(consumeRateLimit(orm.em.fork(), rule('test-bad', -1), 'a')).rejects.toThrow(RangeError);
    await expect(consumeRateLimit(orm.em.fork(), rule('test-bad', 1, 0.5), 'a')).rejects.toThrow(RangeError);
  });
});

describe('peekRateLimit', () => {
  it('reads the counter without counting', async () => {
    const limit = rule('test-peek', 2, 900);
    expect(await peekRateLimit(orm.em.fork(), limit, 'a')).toMatchObject({ allowed: true, remaining: 2 });
    expect(await counter(rateLimitKey(limit, 'a'))).toBeUndefined();

    await consumeRateLimit(orm.em.fork(), limit, 'a');
    for (let look = 0; look < 3; look++) {
      expect(await peekRateLimit(orm.em.fork(), limit, 'a')).toMatchObject({ allowed: true, remaining: 1 });
    }
    await consumeRateLimit(orm.em.fork(), limit, 'a');
    // Two failures of two allowed: the next attempt is refused before it is even checked.
    const blocked = await peekRateLimit(orm.em.fork(), limit, 'a');
    expect(blocked).toMatchObject({ allowed: false, remaining: 0 });
    expect(blocked.retryAfterSeconds).toBeGreaterThan(890);
    expect(await counter(rateLimitKey(limit, 'a'))).toEqual({ points: 2, expired: false });
  });

  it('treats an expired counter as empty', async () => {
    const limit = rule('test-peek-expired', 1);
    await consumeRateLimit(orm.em.fork(), limit, 'a');
    expect((await peekRateLimit(orm.em.fork(), limit, 'a')).allowed).toBe(false);
    await expire(rateLimitKey(limit, 'a'));
    expect(await peekRateLimit(orm.em.fork(), limit, 'a')).toMatchObject({ allowed: true, remaining: 1 });
  });
});

describe('resetRateLimit', () => {
  it('clears one subject and leaves the others', async () => {
    const limit = rule('test-reset', 1);
    await consumeRateLimit(orm.em.fork(), limit, 'a');
    await consumeRateLimit(orm.em.fork(), limit, 'b');
    await resetRateLimit(orm.em.fork(), limit, 'a');
    expect((await consumeRateLimit(orm.em.fork(), limit, 'a')).allowed).toBe(true);
    expect((await consumeRateLimit(orm.em.fork(), limit, 'b')).allowed).toBe(false);
  });
});

describe('purgeExpiredRateLimits', () => {
  it('removes only counters whose window ended by the given time', async () => {
    const em = orm.em.fork();
    await em.execute(
      `insert into rate_limit_counters (key, points, expires_at) values
         ('test-purge:old-1', 1, '1999-12-31T23:00:00Z'), ('test-purge:old-2', 4, '2000-01-01T00:00:00Z'),
         ('test-purge:live', 1, '2000-01-01T00:00:01Z')`,
    );
    expect(await purgeExpiredRateLimits(em, new Date('2000-01-01T00:00:00Z'))).toBe(2);
    const rows = await em.execute<{ key: string }[]>(
      "select key from rate_limit_counters where key like 'test-purge:%' order by key",
    );
    expect(rows).toEqual([{ key: 'test-purge:live' }]);
  });

  it('uses the database clock by default', async () => {
    const limit = rule('test-purge-now', 5);
    await consumeRateLimit(orm.em.fork(), limit, 'expired');
    await consumeRateLimit(orm.em.fork(), limit, 'live');
    await expire(rateLimitKey(limit, 'expired'));
    expect(await purgeExpiredRateLimits(orm.em.fork())).toBeGreaterThanOrEqual(1);
    expect(await counter(rateLimitKey(limit, 'expired'))).toBeUndefined();
    expect(await counter(rateLimitKey(limit, 'live'))).toEqual({ points: 1, expired: false });
  });
});

describe('RATE_LIMIT_RULES', () => {
  it('has the windows of SPEC §8 and takes its allowance from the configuration', () => {
    expect(RATE_LIMIT_RULES.loginFailuresPerIp(5)).toEqual({
      name: 'login-failures:ip',
      points: 5,
      windowSeconds: 900,
    });
    expect(RATE_LIMIT_RULES.loginFailuresPerAccount(5).windowSeconds).toBe(900);
    expect(RATE_LIMIT_RULES.ticketsPerUser(10).windowSeconds).toBe(3600);
    expect(RATE_LIMIT_RULES.apiPerUser(0)).toEqual({ name: 'api:user', points: 0, windowSeconds: 60 });
    const names = Object.values(RATE_LIMIT_RULES).map((make) => make(1).name);
    expect(new Set(names).size).toBe(names.length);
  });
});
