import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * One fixed-window counter per limited key (e.g. `login:ip:203.0.113.9`), kept in PostgreSQL so that
 * every server process sees the same count. Each hit is a single atomic upsert.
 */
export const RateLimitCounter = defineEntity({
  name: 'RateLimitCounter',
  tableName: 'rate_limit_counters',
  properties: {
    key: p.string().length(255).primary(),
    points: p.integer(),
    expiresAt: p.datetime().index(),
  },
});
export type RateLimitCounter = InferEntity<typeof RateLimitCounter>;
