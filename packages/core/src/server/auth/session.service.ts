import { hash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { UserInfo } from '../../domain/auth/auth.schema.ts';
import type { UserRole } from '../../domain/auth/roles.ts';
import { queryRows } from '../db/sql.ts';
import type { User } from '../users/user.entity.ts';
import { Session } from './session.entity.ts';

// Sessions as the Lucia guide lays them out: the client holds a random token; the database keeps only
// its SHA-256, so a leaked sessions table opens no session.

/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** A session's expiry moves forward at most once per this interval, so reads do not write every time. */
export const SESSION_RENEW_INTERVAL_MS = 60 * 1000;
/** Signing in again beyond this many live sessions ends the oldest. */
export const MAX_SESSIONS_PER_USER = 3;

export interface SessionMeta {
  ip: string | null;
  userAgent: string | null;
}

/** A live session, as a request sees it. */
export interface SessionInfo {
  id: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

export interface ValidSession {
  session: SessionInfo;
  /** The signed-in user, as the API shows users. */
  user: UserInfo;
  /** True when this validation moved the expiry forward: the cookie should be re-sent. */
  renewed: boolean;
}

/** A new random session token: 20 bytes (160 bits), base32. */
export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** The id stored for a token: its SHA-256 in lower-case hex (node's one-shot native hash; every request asks it). */
export function sessionIdFromToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** Opens a session for `user` and ends the oldest ones beyond MAX_SESSIONS_PER_USER. */
export async function createSession(
  em: EntityManager,
  user: User,
  meta: SessionMeta,
  now = new Date(),
): Promise<{ token: string; session: Session }> {
  const token = generateSessionToken();
  const session = em.create(Session, {
    id: sessionIdFromToken(token),
    user,
    expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
    lastSeenAt: now,
    ip: meta.ip?.slice(0, 64) ?? null,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
    createdAt: now,
  });
  await em.flush();
  // Keep the newest MAX_SESSIONS_PER_USER (this one included); one statement, so two logins at once
  // cannot both keep an extra session.
  await em.getConnection().execute(
    `delete from sessions where user_id = ? and id not in (
       select id from sessions where user_id = ? order by created_at desc, id desc limit ?)`,
    [user.id, user.id, MAX_SESSIONS_PER_USER],
  );
  return { token, session };
}

/**
 * The session and user behind a token, or null when the token is unknown, expired, or its user is
 * deactivated. Slides the expiry forward (at most once per SESSION_RENEW_INTERVAL_MS).
 */
export async function validateSessionToken(
  em: EntityManager,
  token: string,
  now = new Date(),
): Promise<ValidSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdFromToken(token);
  // Every request asks this, so it is one plain query: the session and its user, no entity loading.
  const [row] = await queryRows<SessionRow>(
    em,
    `select s.expires_at, s.last_seen_at, u.id as user_id, u.email, u.name, u.role, u.organization_id,
            u.is_active
     from sessions s join users u on u.id = s.user_id
     where s.id = ?`,
    [id],
  );
  if (!row) return null;
  const expiresAt = new Date(row.expires_at);
  if (expiresAt.getTime() <= now.getTime() || !row.is_active) {
    await queryRows(em, 'delete from sessions where id = ?', [id]);
    return null;
  }
  const session: SessionInfo = { id, expiresAt, lastSeenAt: new Date(row.last_seen_at) };
  const user: UserInfo = {
    id: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    organizationId: row.organization_id,
    isActive: row.is_active,
  };
  let renewed = false;
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_RENEW_INTERVAL_MS) {
    session.expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
    session.lastSeenAt = now;
    await queryRows(em, 'update sessions set last_seen_at = ?, expires_at = ? where id = ?', [
      now,
      session.expiresAt,
      id,
    ]);
    renewed = true;
  }
  return { session, user, renewed };
}

interface SessionRow {
  expires_at: Date | string;
  last_seen_at: Date | string;
  user_id: string;
  email: string;
  name: string;
  role: UserRole;
  organization_id: string | null;
  is_active: boolean;
}

/** Ends one session (logout). */
export async function invalidateSession(em: EntityManager, sessionId: string): Promise<void> {
  await em.nativeDelete(Session, { id: sessionId });
}

/** Ends every session of a user (deactivation, password or role change). */
export async function invalidateUserSessions(em: EntityManager, userId: string): Promise<void> {
  await em.nativeDelete(Session, { user: userId });
}

/** Deletes expired sessions; run periodically. */
export async function purgeExpiredSessions(em: EntityManager, now = new Date()): Promise<number> {
  return em.nativeDelete(Session, { expiresAt: { $lte: now } });
}
