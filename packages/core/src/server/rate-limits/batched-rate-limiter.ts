import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logging/logger.ts';
import { MAX_POINTS, type RateLimitResult, type RateLimitRule, rateLimitKey } from './rate-limiter.ts';

/** How often a process adds its counted hits to the shared counters. */
export const RATE_LIMIT_FLUSH_MS = 250;

interface Entry {
  /** The shared count as the database last returned it (every process's flushed hits). */
  shared: number;
  /** Hits this process allowed and has not added to the shared count yet. */
  pending: number;
  /** When the window ends, epoch ms: the database's once known, a local estimate before. */
  resetAt: number;
}

/**
 * A rule counted in memory and added to the shared counter in batches: the per-user API limit, which
 * every signed-in request consumes, must not cost every request a database write (issue #9).
 *
 * Decisions are taken locally from the shared count of the last flush plus this process's own hits
 * since, so one process enforces the limit exactly; with several processes a user can exceed it by
 * what the others allowed within one flush interval (RATE_LIMIT_FLUSH_MS), which is what an API limit
 * is for: stopping runaway clients, not counting to the request. Every RATE_LIMIT_FLUSH_MS the counted
 * hits of all users go to `rate_limit_counters` in one upsert, the same fixed windows as
 * `consumeRateLimit`. Limits that must hold exactly (logins, tickets) keep using `consumeRateLimit`.
 */
export class BatchedRateLimiter {
  readonly #orm: MikroORM;
  readonly #rule: RateLimitRule;
  readonly #logger: Logger | undefined;
  readonly #entries = new Map<string, Entry>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;

  constructor(orm: MikroORM, rule: RateLimitRule, logger?: Logger) {
    this.#orm = orm;
    this.#rule = rule;
    this.#logger = logger;
  }

  /** Counts one hit for `subject` if the window has room; never waits for the database. */
  consume(subject: string, now = Date.now()): RateLimitResult {
    const rule = this.#rule;
    if (rule.points === 0) {
      return {
        allowed: true,
        remaining: Number.POSITIVE_INFINITY,
        retryAfterSeconds: 0,
        resetAt: new Date(now),
      };
    }
    const key = rateLimitKey(rule, subject);
    let entry = this.#entries.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { shared: 0, pending: entry?.pending ?? 0, resetAt: now + rule.windowSeconds * 1000 };
      this.#entries.set(key, entry);
    }
    const used = entry.shared + entry.pending;
    if (used >= rule.points) {
      return {
        allowed: false,
        remaining: 0,
        retryAfterSeconds: Math.max(1, Math.ceil((entry.resetAt - now) / 1000)),
        resetAt: new Date(entry.resetAt),
      };
    }
    entry.pending += 1;
    this.#timer ??= setTimeout(() => void this.flush(), RATE_LIMIT_FLUSH_MS).unref();
    return {
      allowed: true,
      remaining: rule.points - used - 1,
      retryAfterSeconds: 0,
      resetAt: new Date(entry.resetAt),
    };
  }

  /**
   * Takes back one hit of `subject` not yet sent to the shared counters: for a request found afterwards
   * not to be the subject's at all (a remembered session that had ended, trpc/procedures.ts).
   */
  refund(subject: string): void {
    const entry = this.#entries.get(rateLimitKey(this.#rule, subject));
    if (entry && entry.pending > 0) entry.pending -= 1;
  }

  /** Adds the counted hits to the shared counters now (also on shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // One flush at a time: a second caller waits for the running one, then sends what came since.
    while (this.#flushing) await this.#flushing;
    const batch = [...this.#entries].filter(([, entry]) => entry.pending > 0);
    if (batch.length === 0) return;
    this.#flushing = this.#send(batch).finally(() => {
      this.#flushing = undefined;
    });
    await this.#flushing;
  }

  async #send(batch: [string, Entry][]): Promise<void> {
    const sent = new Map(batch.map(([key, entry]) => [key, entry.pending]));
    try {
      const rows = await this.#orm.em.fork().execute<{ key: string; points: number; reset_ms: number }[]>(
        `insert into rate_limit_counters as c (key, points, expires_at)
         select u.key, u.points, statement_timestamp() + make_interval(secs => ?)
         from jsonb_to_recordset(?::jsonb) as u(key text, points int)
         -- two processes flushing the same users lock their rows in the same order
         order by u.key
         on conflict (key) do update set
           points = case when c.expires_at <= statement_timestamp() then excluded.points
                         else least(c.points::bigint + excluded.points, ${MAX_POINTS}) end,
           expires_at = case when c.expires_at <= statement_timestamp() then excluded.expires_at
                             else c.expires_at end
         returning c.key, c.points, (extract(epoch from c.expires_at) * 1000)::float8 as reset_ms`,
        [
          this.#rule.windowSeconds,
          JSON.stringify(batch.map(([key, entry]) => ({ key, points: Math.min(entry.pending, MAX_POINTS) }))),
        ],
      );
      for (const row of rows) {
        const entry = this.#entries.get(row.key);
        if (!entry) continue;
        entry.pending -= sent.get(row.key) ?? 0;
        entry.shared = row.points;
        entry.resetAt = row.reset_ms;
      }
      const now = Date.now();
      for (const [key, entry] of this.#entries) {
        if (entry.pending === 0 && entry.resetAt <= now) this.#entries.delete(key);
      }
    } catch (error) {
      // The hits stay pending and go with the next flush; the request that counted them was answered.
      this.#logger?.warn({ err: error, rule: this.#rule.name }, 'rate limit flush failed');
      this.#timer ??= setTimeout(() => void this.flush(), RATE_LIMIT_FLUSH_MS).unref();
    }
  }
}
