import { z } from 'zod';
import { ZEmail, ZNewPassword, ZUser } from '../auth/auth.schema.ts';
import { isStaffRole, STAFF_ROLES, type UserRole, ZUserRole } from '../auth/roles.ts';
import { ZBodyFlag } from '../body-flag.schema.ts';
import { ZAdminPageInput, ZQueryFlag, zPage } from './admin-list.schema.ts';

// Inputs and outputs of the user admin API (SPEC §11 `CRUD /api/v1/users`) and of the staff directory
// the desk picks assignees from. A user is created with a password; the API never returns it.

/** A user id in a path or body. */
export const ZUserId = z.uuid({ error: 'not a user id' });

const ZPersonName = z.string().trim().min(1, 'enter a name').max(200, 'keep the name under 201 characters');

/**
 * Why a role and an organization do not fit together (SPEC §4: customers belong to exactly one
 * organization, staff to none), or null when they do. The database enforces the same with a check.
 */
export function roleOrganizationProblem(role: UserRole, organizationId: string | null): string | null {
  if (isStaffRole(role)) return organizationId === null ? null : 'staff belong to no organization';
  return organizationId === null ? 'a customer needs an organization' : null;
}

export const ZCreateUserInput = z
  .object({
    email: ZEmail,
    name: ZPersonName,
    role: ZUserRole,
    /** The customer's organization; null or absent for staff. */
    organizationId: z.uuid({ error: 'not an organization id' }).nullish(),
    password: ZNewPassword,
  })
  .superRefine((input, issues) => {
    const problem = roleOrganizationProblem(input.role, input.organizationId ?? null);
    if (problem) issues.addIssue({ code: 'custom', path: ['organizationId'], message: problem });
  });
export type CreateUserInput = z.infer<typeof ZCreateUserInput>;

/**
 * Only the fields given change. Changing the role, the organization, `isActive` to false or the
 * password ends every session of the user.
 */
export const ZUpdateUserInput = z.object({
  id: ZUserId,
  name: ZPersonName.optional(),
  role: ZUserRole.optional(),
  /** Null for staff. Left out when the role becomes a staff role, it is cleared. */
  organizationId: z.uuid({ error: 'not an organization id' }).nullable().optional(),
  isActive: ZBodyFlag.optional(),
  password: ZNewPassword.optional(),
});
export type UpdateUserInput = z.infer<typeof ZUpdateUserInput>;

export const ZUserListInput = ZAdminPageInput.extend({
  organizationId: z.uuid({ error: 'not an organization id' }).optional(),
  role: ZUserRole.optional(),
  /** Matches e-mail or name, case-insensitively. */
  q: z.string().trim().max(200).optional(),
  isActive: ZQueryFlag.optional(),
});
export type UserListInput = z.infer<typeof ZUserListInput>;

/** Users, newest first. */
export const ZUserPage = zPage(ZUser);

export const ZStaffRole = z.enum(STAFF_ROLES);

export const ZStaffListInput = z.object({
  /** Only this role, e.g. AGENT to pick an assignee. */
  role: ZStaffRole.optional(),
});
export type StaffListInput = z.infer<typeof ZStaffListInput>;

/** An active staff member as the desk shows one in pickers. */
export const ZStaffMember = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: ZStaffRole,
});
export type StaffMemberInfo = z.infer<typeof ZStaffMember>;
