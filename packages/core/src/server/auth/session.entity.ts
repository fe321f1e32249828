import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAtColumn } from '../db/columns.ts';
import { User } from '../users/user.entity.ts';

/** A signed-in session. The id is the SHA-256 of the token: the token itself is never stored. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.string().length(64).primary(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    expiresAt: p.datetime().index(),
    lastSeenAt: p.datetime(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
    createdAt: createdAtColumn(),
  },
});
export type Session = InferEntity<typeof Session>;
