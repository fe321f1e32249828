import type { EntityManager } from '@mikro-orm/postgresql';
import type { LoginInput } from '../../domain/auth/auth.schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import {
  consumeRateLimit,
  peekRateLimit,
  RATE_LIMIT_RULES,
  resetRateLimit,
} from '../rate-limits/rate-limiter.ts';
import { User } from '../users/user.entity.ts';
import { hashPassword, verifyPassword } from './password.ts';
import type { Session } from './session.entity.ts';
import { createSession, invalidateSession, type SessionInfo, type SessionMeta } from './session.service.ts';

/** Verified against when the e-mail is unknown, so that both answers take the same time. */
let decoyHash: Promise<string> | undefined;

export interface LoginResult {
  token: string;
  session: Session;
  user: User;
}

/**
 * Signs a user in by e-mail and password. Failures are counted per IP and per account (SPEC §8) and
 * answer the same "invalid e-mail or password" whatever the reason, so accounts cannot be probed.
 */
export async function login(
  em: EntityManager,
  input: LoginInput,
  meta: SessionMeta,
  limits: { loginFailures: number },
): Promise<LoginResult> {
  const byIp = RATE_LIMIT_RULES.loginFailuresPerIp(limits.loginFailures);
  const byAccount = RATE_LIMIT_RULES.loginFailuresPerAccount(limits.loginFailures);
  const ipKey = meta.ip ?? 'unknown';
  for (const [rule, subject] of [
    [byIp, ipKey],
    [byAccount, input.email],
  ] as const) {
    const state = await peekRateLimit(em, rule, subject);
    if (!state.allowed) {
      throw new DomainError('RATE_LIMITED', 'too many failed sign-ins; try again later', {
        retryAfterSeconds: state.retryAfterSeconds,
      });
    }
  }
  const user = await em.findOne(User, { email: input.email }, { populate: ['passwordHash', 'organization'] });
  decoyHash ??= hashPassword('decoy password for unknown accounts');
  const valid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyPassword(await decoyHash, input.password).then(() => false);
  if (!user || !valid || !user.isActive) {
    await consumeRateLimit(em, byIp, ipKey);
    await consumeRateLimit(em, byAccount, input.email);
    recordAudit(
      em,
      { actorId: user?.id ?? null, ip: meta.ip, userAgent: meta.userAgent },
      {
        action: 'auth.login_failed',
        organizationId: user?.organization?.id ?? null,
        entityType: 'user',
        entityId: user?.id ?? null,
        newValue: {
          email: input.email,
          reason: !user ? 'unknown_email' : !valid ? 'wrong_password' : 'inactive',
        },
      },
    );
    await em.flush();
    throw new DomainError('UNAUTHENTICATED', 'invalid e-mail or password');
  }
  // The password is proven: earlier typos on this account no longer count (the IP's failures still do).
  await resetRateLimit(em, byAccount, input.email);
  const { token, session } = await createSession(em, user, meta);
  user.lastLoginAt = new Date();
  recordAudit(
    em,
    { actorId: user.id, ip: meta.ip, userAgent: meta.userAgent },
    {
      action: 'auth.login_succeeded',
      organizationId: user.organization?.id ?? null,
      entityType: 'user',
      entityId: user.id,
    },
  );
  await em.flush();
  return { token, session, user };
}

/** Ends the caller's session. */
export async function logout(
  em: EntityManager,
  session: Pick<SessionInfo, 'id'>,
  meta: SessionMeta & { userId: string; organizationId: string | null },
): Promise<void> {
  await invalidateSession(em, session.id);
  recordAudit(
    em,
    { actorId: meta.userId, ip: meta.ip, userAgent: meta.userAgent },
    {
      action: 'auth.logout',
      organizationId: meta.organizationId,
      entityType: 'user',
      entityId: meta.userId,
    },
  );
  await em.flush();
}
