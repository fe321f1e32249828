import type { EntityManager } from '@mikro-orm/postgresql';
import { Session } from '../auth/session.entity.ts';

/**
 * Which of these sessions are still live (not ended, not expired, their user active): one query for
 * every open WebSocket of a process, so a signed-out or deactivated user's socket closes. Unlike
 * `validateSessionToken` it never slides the expiry: an open tab is not activity.
 */
export async function liveSessionIds(
  em: EntityManager,
  sessionIds: readonly string[],
  now = new Date(),
): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await em.find(
    Session,
    { id: { $in: [...sessionIds] }, expiresAt: { $gt: now }, user: { isActive: true } },
    { fields: ['id'] },
  );
  return new Set(rows.map((row) => row.id));
}
