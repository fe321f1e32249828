import type { UserRole } from '@atum-desk/core/domain';

// Which staff see what in the desk's navigation (the server enforces the same rights; the desk only
// hides what a role could not use): agents work tickets, managers also accept the NEW queue and read the
// audit log, administrators also manage users, organizations, services and SLA policies.

export type DeskArea = 'dashboard' | 'inbox' | 'tickets' | 'audit' | 'admin';

const AREAS: Record<DeskArea, readonly UserRole[]> = {
  dashboard: ['AGENT', 'MANAGER', 'ADMIN'],
  tickets: ['AGENT', 'MANAGER', 'ADMIN'],
  inbox: ['MANAGER', 'ADMIN'],
  audit: ['MANAGER', 'ADMIN'],
  admin: ['ADMIN'],
};

/** Whether `role` may use an area of the desk. */
export function mayUse(role: UserRole, area: DeskArea): boolean {
  return AREAS[area].includes(role);
}

export interface NavItem {
  href: string;
  label: string;
  area: DeskArea;
  /** Matches only this exact path (the dashboard at `/`). */
  end?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Dashboard', area: 'dashboard', end: true },
  { href: '/inbox', label: 'Inbox', area: 'inbox' },
  { href: '/tickets', label: 'Tickets', area: 'tickets' },
  { href: '/audit', label: 'Audit log', area: 'audit' },
  { href: '/admin/users', label: 'Users', area: 'admin' },
  { href: '/admin/organizations', label: 'Organizations', area: 'admin' },
  { href: '/admin/services', label: 'Services', area: 'admin' },
  { href: '/admin/sla', label: 'SLA policies', area: 'admin' },
];

/** The navigation a role sees, in order. */
export function navFor(role: UserRole): NavItem[] {
  return NAV_ITEMS.filter((item) => mayUse(role, item.area));
}

const ROLE_NAMES: Record<UserRole, string> = {
  AGENT: 'Agent',
  MANAGER: 'Manager',
  ADMIN: 'Administrator',
  CUSTOMER_USER: 'Customer',
  CUSTOMER_ADMIN: 'Customer admin',
};

/** "Manager" for MANAGER. */
export function roleName(role: UserRole): string {
  return ROLE_NAMES[role];
}
