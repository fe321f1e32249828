import { z } from 'zod';

/** Customer roles belong to one organization; staff roles serve every organization (SPEC §4). */
export const CUSTOMER_ROLES = ['CUSTOMER_USER', 'CUSTOMER_ADMIN'] as const;
export const STAFF_ROLES = ['AGENT', 'MANAGER', 'ADMIN'] as const;
export const USER_ROLES = [...CUSTOMER_ROLES, ...STAFF_ROLES] as const;
export const ZUserRole = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof ZUserRole>;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type CustomerRole = (typeof CUSTOMER_ROLES)[number];

/** Whether a role belongs to staff (who have no organization). */
export function isStaffRole(role: UserRole): role is StaffRole {
  return (STAFF_ROLES as readonly UserRole[]).includes(role);
}
