import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { USER_ROLES } from '../../domain/auth/roles.ts';
import { createdAtColumn, idColumn, updatedAtColumn } from '../db/columns.ts';
import { Organization } from '../organizations/organization.entity.ts';

/** A person who signs in: a customer of one organization, or staff of none. */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: idColumn(),
    /** Customers belong to exactly one organization; staff to none (enforced by a check). */
    organization: () => p.manyToOne(Organization).nullable().deleteRule('restrict').index(),
    /** Stored lower-cased; unique across the whole installation. */
    email: p.string().length(320).unique(),
    name: p.string().length(200),
    role: p.enum(USER_ROLES),
    passwordHash: p.string().length(255).hidden().lazy(),
    isActive: p.boolean().default(true),
    lastLoginAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  indexes: [
    {
      // The managers a ticket's mail may go to, read with every customer reply and new ticket
      // (notifications/mail-people.ts).
      name: 'users_active_managers_index',
      expression: `create index "users_active_managers_index" on "users" ("email") where role in ('MANAGER', 'ADMIN') and is_active`,
    },
  ],
  checks: [
    {
      name: 'users_organization_matches_role_check',
      expression: `(role in ('CUSTOMER_USER', 'CUSTOMER_ADMIN')) = (organization_id is not null)`,
    },
  ],
});
export type User = InferEntity<typeof User>;
