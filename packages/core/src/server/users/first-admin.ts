import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/audit.service.ts';
import { hashPassword } from '../auth/password.ts';
import { User } from './user.entity.ts';

/**
 * Creates the first administrator from ATUM_ADMIN_EMAIL / ATUM_ADMIN_PASSWORD when the installation has
 * no user at all; does nothing otherwise. Returns whether it created one.
 */
export async function ensureFirstAdmin(
  em: EntityManager,
  admin: { email: string; password: string },
): Promise<boolean> {
  const passwordHash = await hashPassword(admin.password);
  return em.transactional(async (tx) => {
    // Serialises concurrent starts of several processes: only one may create the first admin.
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', ['atum:first-admin']);
    if ((await tx.count(User, {})) > 0) return false;
    const user = tx.create(User, {
      email: admin.email.toLowerCase(),
      name: 'Administrator',
      role: 'ADMIN',
      passwordHash,
      organization: null,
    });
    recordAudit(
      tx,
      { actorId: null },
      {
        action: 'user.created',
        organizationId: null,
        entityType: 'user',
        entityId: user.id,
        newValue: { email: user.email, role: user.role, source: 'ATUM_ADMIN_EMAIL' },
      },
    );
    return true;
  });
}
