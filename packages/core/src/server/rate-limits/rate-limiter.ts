import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows } from '../db/sql.ts';

/** A limit: at most `points` hits per fixed window of `windowSeconds`. */
export interface RateLimitRule {
  /** Prefix of every counter key of this rule; a code constant such as `login-failures:ip`. */
  name: string;
  /** Hits allowed per window; 0 turns the limit off (SPEC §8). */
  points: number;
  /** Length of one window, whole seconds. */
  windowSeconds: number;
}

/** What a rate-limit check decided, with what a 429 answer needs. */
export interface RateLimitResult {
  /** False once the window holds more hits than the rule allows. */
  allowed: boolean;
  /** Hits left in this window; Infinity when the limit is off. */
  remaining: number;
  /** Seconds until the window ends (at least 1) when refused, for `Retry-After`; 0 when allowed. */
  retryAfterSeconds: number;
  /** When the current window ends and the count starts again. */
  resetAt: Date;
}

/** Longest key `rate_limit_counters.key` holds (varchar(255) counts characters, JS length UTF-16 units). */
const MAX_KEY_LENGTH = 255;
const MAX_RULE_NAME_LENGTH = 100;
const HASHED_PREFIX = 'sha256:';
/** `points` is an int column; a key hammered beyond this stays refused instead of overflowing. */
export const MAX_POINTS = 2_147_483_647;

/**
 * The counter key of `subject` under `rule`: `<rule>:<subject>`, or `<rule>:sha256:<hex of subject>`
 * when that would not fit the column. A subject that itself starts with `sha256:` is hashed too, so
 * no literal subject can name another subject's hashed counter.
 */
export function rateLimitKey(rule: RateLimitRule, subject: string): string {
  const key = `${rule.name}:${subject}`;
  if (key.length <= MAX_KEY_LENGTH && !subject.startsWith(HASHED_PREFIX)) return key;
  return `${rule.name}:${HASHED_PREFIX}${createHash('sha256').update(subject, 'utf8').digest('hex')}`;
}

// The SQL below reads the time with statement_timestamp(): it is the database's clock (one clock for
// every server process), fixed for the whole statement so the CASE branches and the returned
// Retry-After agree, yet fresh for each statement. now() would be frozen at the start of a caller's
// transaction, so a window could look alive long after it ended; clock_timestamp() moves while the
// statement runs.

export interface CounterRow {
  points: number;
  reset_ms: number;
  retry_after: number;
}

/**
 * The upsert that counts `cost` hits for `subject` under `rule`, as a statement a caller may also use as
 * a CTE of its own (`with limited as (…) select …`): it returns `points` (the window's count with these
 * hits), `reset_ms` and `retry_after` (`CounterRow`). A fixed window per key, as the entity describes:
 * an expired row restarts at this hit. The rule must be on (points > 0).
 */
export function rateLimitUpsert(
  rule: RateLimitRule,
  subject: string,
  cost = 1,
): { sql: string; params: [string, number, number] } {
  assertRule(rule);
  if (!Number.isInteger(cost) || cost < 1) throw new RangeError(`rate limit cost must be a positive integer`);
  return {
    sql: `insert into rate_limit_counters as c (key, points, expires_at)
     values (?, ?, statement_timestamp() + make_interval(secs => ?))
     on conflict (key) do update set
       points = case when c.expires_at <= statement_timestamp() then excluded.points
                     else least(c.points::bigint + excluded.points, ${MAX_POINTS}) end,
       expires_at = case when c.expires_at <= statement_timestamp() then excluded.expires_at
                         else c.expires_at end
     returning c.points,
       (extract(epoch from c.expires_at) * 1000)::float8 as reset_ms,
       greatest(1, ceil(extract(epoch from c.expires_at - statement_timestamp())))::int as retry_after`,
    params: [rateLimitKey(rule, subject), Math.min(cost, MAX_POINTS), rule.windowSeconds],
  };
}

/** What `rateLimitUpsert` returned, as a decision of `rule`. */
export function rateLimitResultOf(rule: RateLimitRule, row: CounterRow): RateLimitResult {
  return toResult(rule, row.points, row, row.points <= rule.points);
}

/**
 * Counts one hit (or `cost` hits) for `subject` under `rule` in one atomic upsert, never
 * read-then-write, so concurrent processes cannot both take the last point.
 *
 * Runs on `em`'s connection, so inside `em.transactional` it joins that transaction: a rollback then
 * undoes the hit and the counter row stays locked until commit. Count hits that must survive a failed
 * request (a rejected login) outside the transaction of the change.
 */
export async function consumeRateLimit(
  em: EntityManager,
  rule: RateLimitRule,
  subject: string,
  cost = 1,
): Promise<RateLimitResult> {
  const upsert = rateLimitUpsert(rule, subject, cost);
  if (rule.points === 0) return unlimited();
  const [row] = await queryRows<CounterRow>(em, upsert.sql, upsert.params);
  if (!row) throw new Error('the rate limit upsert returned no row');
  return rateLimitResultOf(rule, row);
}

/**
 * Reads `subject`'s counter without counting: `allowed` says whether one more hit would be, so a login
 * can be refused before its password is even checked.
 */
export async function peekRateLimit(
  em: EntityManager,
  rule: RateLimitRule,
  subject: string,
): Promise<RateLimitResult> {
  assertRule(rule);
  if (rule.points === 0) return unlimited();
  // The left join always yields one row, so an absent or expired counter still reads the database clock.
  const rows = await em.execute<{ points: number | null; reset_ms: number; retry_after: number }[]>(
    `select c.points,
       (extract(epoch from coalesce(c.expires_at, t.now + make_interval(secs => ?))) * 1000)::float8 as reset_ms,
       greatest(1, ceil(extract(epoch from c.expires_at - t.now)))::int as retry_after
     from (select statement_timestamp() as now) t
     left join rate_limit_counters c on c.key = ? and c.expires_at > t.now`,
    [rule.windowSeconds, rateLimitKey(rule, subject)],
  );
  const row = rows[0];
  if (!row) throw new Error('the rate limit peek returned no row');
  const points = row.points ?? 0;
  return toResult(rule, points, row, points < rule.points);
}

/**
 * Forgets `subject`'s counter under `rule`. After a successful login, reset the per-account failure
 * counter (the password is proven, so a few earlier typos should not linger) but never the per-IP one:
 * otherwise an attacker holding one valid account could log into it between guesses at others and
 * never reach the limit. SPEC §8 counts failures, so successes add nothing to either.
 */
export async function resetRateLimit(em: EntityManager, rule: RateLimitRule, subject: string): Promise<void> {
  assertRule(rule);
  await em.execute('delete from rate_limit_counters where key = ?', [rateLimitKey(rule, subject)], 'run');
}

/**
 * Deletes counters whose window ended at or before `now` (default: the database clock) and returns how
 * many. Expired rows are harmless, since the next hit restarts them; this only keeps the table small.
 */
export async function purgeExpiredRateLimits(em: EntityManager, now?: Date): Promise<number> {
  const result = await em.execute<{ affectedRows: number }>(
    'delete from rate_limit_counters where expires_at <= coalesce(?::timestamptz, statement_timestamp())',
    [now ? now.toISOString() : null],
    'run',
  );
  return result.affectedRows;
}

/** The limits of SPEC §8; each takes its allowance from the configuration (0 = off). */
export const RATE_LIMIT_RULES = {
  /** Failed logins from one IP address per 15 minutes; a success does not reset it. */
  loginFailuresPerIp: (points: number): RateLimitRule => ({
    name: 'login-failures:ip',
    points,
    windowSeconds: 15 * 60,
  }),
  /** Failed logins for one account (by normalized email) per 15 minutes; reset on success. */
  loginFailuresPerAccount: (points: number): RateLimitRule => ({
    name: 'login-failures:account',
    points,
    windowSeconds: 15 * 60,
  }),
  /** Tickets one user creates per hour. */
  ticketsPerUser: (points: number): RateLimitRule => ({
    name: 'tickets:user',
    points,
    windowSeconds: 60 * 60,
  }),
  /** API requests of one user per minute. */
  apiPerUser: (points: number): RateLimitRule => ({ name: 'api:user', points, windowSeconds: 60 }),
} as const;

function assertRule(rule: RateLimitRule): void {
  if (rule.name.length === 0 || rule.name.length > MAX_RULE_NAME_LENGTH) {
    throw new RangeError(`rate limit rule name must be 1 to ${MAX_RULE_NAME_LENGTH} characters`);
  }
  if (!Number.isInteger(rule.points) || rule.points < 0) {
    throw new RangeError(`rate limit ${rule.name}: points must be a non-negative integer`);
  }
  if (!Number.isInteger(rule.windowSeconds) || rule.windowSeconds < 1) {
    throw new RangeError(`rate limit ${rule.name}: windowSeconds must be a positive integer`);
  }
}

function toResult(
  rule: RateLimitRule,
  points: number,
  row: { reset_ms: number; retry_after: number },
  allowed: boolean,
): RateLimitResult {
  return {
    allowed,
    remaining: Math.max(0, rule.points - points),
    retryAfterSeconds: allowed ? 0 : row.retry_after,
    resetAt: new Date(row.reset_ms),
  };
}

export function unlimited(): RateLimitResult {
  // Nothing is stored for a limit that is off, so there is no window: it "resets" immediately.
  return { allowed: true, remaining: Number.POSITIVE_INFINITY, retryAfterSeconds: 0, resetAt: new Date() };
}
