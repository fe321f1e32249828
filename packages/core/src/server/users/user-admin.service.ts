import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type CreateUserInput,
  roleOrganizationProblem,
  type StaffListInput,
  type UpdateUserInput,
  type UserListInput,
} from '../../domain/admin/user-admin.schema.ts';
import { isStaffRole, STAFF_ROLES } from '../../domain/auth/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { hashPassword } from '../auth/password.ts';
import type { Scope } from '../auth/scope.ts';
import { invalidateUserSessions } from '../auth/session.service.ts';
import { decodeCursor, olderThan, toPage } from '../db/keyset.ts';
import type { Page } from '../db/scoped.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { auditActorOf, conflictOnDuplicate, likePattern, requireAdmin } from './admin-support.ts';
import { User } from './user.entity.ts';

// User administration (SPEC §4, §8). A change that alters what a user may do (role, organization,
// deactivation) or how they prove who they are (password) ends all their sessions in the same
// transaction, so the very next request with an old token is refused. At least one active
// administrator always remains.

const DUPLICATE_EMAIL = 'a user with this e-mail address already exists';

/** Serialises changes that could remove an administrator, so two of them cannot both pass the check. */
const ADMINS_LOCK = 'atum:active-admins';

/** Users, newest first, in keyset pages. */
export async function listUsers(em: EntityManager, scope: Scope, input: UserListInput): Promise<Page<User>> {
  requireAdmin(scope);
  const where: FilterQuery<User>[] = [];
  if (input.organizationId) where.push({ organization: input.organizationId });
  if (input.role) where.push({ role: input.role });
  if (input.isActive !== undefined) where.push({ isActive: input.isActive });
  if (input.q) {
    const pattern = likePattern(input.q);
    where.push({ $or: [{ email: { $ilike: pattern } }, { name: { $ilike: pattern } }] });
  }
  const after = decodeCursor(input.cursor);
  if (after) where.push(olderThan(after));
  const rows = await em.find(User, where.length > 0 ? { $and: where } : {}, {
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    limit: input.limit + 1,
  });
  return toPage(rows, input.limit);
}

/** One user; NOT_FOUND when there is none with this id. */
export async function getUser(em: EntityManager, scope: Scope, id: string): Promise<User> {
  requireAdmin(scope);
  const user = await em.findOne(User, id);
  if (!user) throw new DomainError('NOT_FOUND', 'no such user');
  return user;
}

/** Active staff, by name: whom the desk offers as assignees. Any staff member may ask. */
export async function listStaff(em: EntityManager, scope: Scope, input: StaffListInput): Promise<User[]> {
  if (scope.role !== 'SYSTEM' && !isStaffRole(scope.role)) throw new DomainError('FORBIDDEN', 'staff only');
  return em.find(
    User,
    { role: input.role ?? { $in: [...STAFF_ROLES] }, isActive: true },
    { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
  );
}

/** Creates a user with a password; CONFLICT when the e-mail address is taken. */
export async function createUser(em: EntityManager, scope: Scope, input: CreateUserInput): Promise<User> {
  requireAdmin(scope);
  const organizationId = input.organizationId ?? null;
  requireRoleFits(input.role, organizationId);
  const email = input.email.toLowerCase();
  // Hashing takes tens of milliseconds; do it before the transaction holds anything.
  const passwordHash = await hashPassword(input.password);
  return conflictOnDuplicate(DUPLICATE_EMAIL, () =>
    em.transactional(async (tx) => {
      const organization = organizationId ? await requireActiveOrganization(tx, organizationId) : null;
      if ((await tx.count(User, { email })) > 0)
        throw new DomainError('CONFLICT', DUPLICATE_EMAIL, { fields: ['email'] });
      const user = tx.create(User, {
        email,
        name: input.name,
        role: input.role,
        organization,
        passwordHash,
        isActive: true,
      });
      recordAudit(tx, auditActorOf(scope), {
        action: 'user.created',
        organizationId,
        entityType: 'user',
        entityId: user.id,
        // Never the password, nor its hash.
        newValue: { email, name: user.name, role: user.role, organizationId },
      });
      await tx.flush();
      return user;
    }),
  );
}

/**
 * Changes a user's name, role, organization, active flag or password. Ends the user's sessions when
 * the role or organization changes, when the user is deactivated, and when the password is set.
 */
export async function updateUser(em: EntityManager, scope: Scope, input: UpdateUserInput): Promise<User> {
  requireAdmin(scope);
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  return em.transactional(async (tx) => {
    const user = await tx.findOne(User, input.id);
    if (!user) throw new DomainError('NOT_FOUND', 'no such user');
    const fromRole = user.role;
    const fromOrganizationId = user.organization?.id ?? null;
    const wasActive = user.isActive;
    const toRole = input.role ?? fromRole;
    // A user who becomes staff leaves their organization unless the request says otherwise (and then
    // the role check below refuses it).
    const toOrganizationId =
      input.organizationId !== undefined
        ? input.organizationId
        : isStaffRole(toRole)
          ? null
          : fromOrganizationId;
    const toActive = input.isActive ?? wasActive;
    requireRoleFits(toRole, toOrganizationId);
    if (toOrganizationId && toOrganizationId !== fromOrganizationId)
      await requireActiveOrganization(tx, toOrganizationId);

    if (fromRole === 'ADMIN' && wasActive && (toRole !== 'ADMIN' || !toActive)) {
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [ADMINS_LOCK]);
      const others = await tx.count(User, { role: 'ADMIN', isActive: true, id: { $ne: user.id } });
      if (others === 0) {
        throw new DomainError(
          'CONFLICT',
          'the last active administrator cannot be deactivated or given another role; make another administrator first',
        );
      }
    }

    const actor = auditActorOf(scope);
    const auditOrganizationId = toOrganizationId ?? fromOrganizationId;
    const audit = (action: string, oldValue?: unknown, newValue?: unknown) =>
      recordAudit(tx, actor, {
        action,
        organizationId: auditOrganizationId,
        entityType: 'user',
        entityId: user.id,
        oldValue,
        newValue,
      });

    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== user.name) {
      before.name = user.name;
      after.name = user.name = input.name;
    }
    const organizationChanged = toOrganizationId !== fromOrganizationId;
    if (organizationChanged) {
      user.organization = toOrganizationId ? tx.getReference(Organization, toOrganizationId) : null;
      before.organizationId = fromOrganizationId;
      after.organizationId = toOrganizationId;
    }
    if (Object.keys(after).length > 0) audit('user.updated', before, after);

    const roleChanged = toRole !== fromRole;
    if (roleChanged) {
      user.role = toRole;
      audit('user.role_changed', { role: fromRole }, { role: toRole });
    }
    if (toActive !== wasActive) {
      user.isActive = toActive;
      audit(
        toActive ? 'user.reactivated' : 'user.deactivated',
        { isActive: wasActive },
        { isActive: toActive },
      );
    }
    if (passwordHash !== undefined) {
      user.passwordHash = passwordHash;
      audit('user.password_changed');
    }

    await tx.flush();
    if (roleChanged || organizationChanged || !toActive || passwordHash !== undefined)
      await invalidateUserSessions(tx, user.id);
    return user;
  });
}

function requireRoleFits(role: User['role'], organizationId: string | null): void {
  const problem = roleOrganizationProblem(role, organizationId);
  if (problem) throw new DomainError('VALIDATION', problem, { fields: ['organizationId'] });
}

async function requireActiveOrganization(tx: EntityManager, id: string): Promise<Organization> {
  const organization = await tx.findOne(Organization, { id, isActive: true });
  if (!organization)
    throw new DomainError('VALIDATION', 'no such active organization', { fields: ['organizationId'] });
  return organization;
}
