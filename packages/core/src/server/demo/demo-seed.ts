import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserRole } from '../../domain/auth/roles.ts';
import type { BusinessCalendar } from '../../domain/sla/business-calendar.schema.ts';
import type { TicketPriority } from '../../domain/tickets/ticket-enums.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { hashPassword } from '../auth/password.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { Service } from '../services/service.entity.ts';
import { SlaPolicy } from '../sla/sla-policy.entity.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { User } from '../users/user.entity.ts';

/** The password of every demo account; demo mode is for trying ATUM DESK, never for production. */
export const DEMO_PASSWORD = 'AtumDemo!2026';

export interface DemoLogin {
  email: string;
  role: UserRole;
  organization: string | null;
  /** Where this account signs in. */
  app: 'portal' | 'desk';
}

const ORGANIZATIONS = [
  { slug: 'acme', name: 'Acme Corporation' },
  { slug: 'globex', name: 'Globex Industries' },
] as const;

const USERS: { email: string; name: string; role: UserRole; organization: string | null }[] = [
  { email: 'admin@atum.demo', name: 'Ada Admin', role: 'ADMIN', organization: null },
  { email: 'manager@atum.demo', name: 'Maya Manager', role: 'MANAGER', organization: null },
  { email: 'agent@atum.demo', name: 'Arun Agent', role: 'AGENT', organization: null },
  { email: 'alice@acme.demo', name: 'Alice Anders', role: 'CUSTOMER_ADMIN', organization: 'acme' },
  { email: 'bob@acme.demo', name: 'Bob Brown', role: 'CUSTOMER_USER', organization: 'acme' },
  { email: 'carol@globex.demo', name: 'Carol Chen', role: 'CUSTOMER_USER', organization: 'globex' },
];

const OFFICE_HOURS: BusinessCalendar = {
  timezone: 'Europe/Berlin',
  weekly: Object.fromEntries(
    ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [
      day,
      [{ start: '09:00', end: '17:00' }],
    ]),
  ),
  holidays: [],
};

const ACME_POLICIES: {
  priority: TicketPriority;
  firstResponseMinutes: number;
  resolutionMinutes: number;
}[] = [
  { priority: 'URGENT', firstResponseMinutes: 30, resolutionMinutes: 240 },
  { priority: 'HIGH', firstResponseMinutes: 120, resolutionMinutes: 960 },
  { priority: 'MEDIUM', firstResponseMinutes: 240, resolutionMinutes: 2400 },
  { priority: 'LOW', firstResponseMinutes: 480, resolutionMinutes: 4800 },
];

const TICKETS: { by: string; priority: TicketPriority; title: string; description: string }[] = [
  {
    by: 'bob@acme.demo',
    priority: 'HIGH',
    title: 'VPN drops every few minutes',
    description:
      'Since this morning the VPN disconnects every five minutes. Reconnecting works, then it drops again.',
  },
  {
    by: 'alice@acme.demo',
    priority: 'MEDIUM',
    title: 'New starter needs a laptop and accounts',
    description:
      'Please prepare a laptop, e-mail account and ERP access for our new colleague starting Monday.',
  },
  {
    by: 'carol@globex.demo',
    priority: 'URGENT',
    title: 'Invoices cannot be printed',
    description:
      'Printing any invoice from the ERP fails with "spooler error". Month-end closing is blocked.',
  },
];

/** Who can sign in after seeding, for the start-up banner. */
export function demoLogins(): DemoLogin[] {
  return USERS.map((user) => ({
    email: user.email,
    role: user.role,
    organization: user.organization,
    app: user.organization ? 'portal' : 'desk',
  }));
}

/**
 * Fills an installation with demo organizations, users, services, an organization's SLA policies and a few NEW
 * tickets. Runs once: a second call (or a concurrent one) finds the demo organization and does nothing.
 */
export async function seedDemoData(em: EntityManager): Promise<boolean> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', ['atum:demo-seed']);
    if ((await tx.count(Organization, { slug: 'acme' })) > 0) return false;
    const system = { actorId: null };

    const organizations = new Map<string, Organization>(
      ORGANIZATIONS.map((org) => [org.slug, tx.create(Organization, { slug: org.slug, name: org.name })]),
    );
    const users = new Map(
      USERS.map((spec) => {
        const organization = spec.organization ? organizations.get(spec.organization) : null;
        const user = tx.create(User, {
          email: spec.email,
          name: spec.name,
          role: spec.role,
          passwordHash,
          organization: organization ?? null,
        });
        recordAudit(tx, system, {
          action: 'user.created',
          organizationId: organization?.id ?? null,
          entityType: 'user',
          entityId: user.id,
          newValue: { email: user.email, role: user.role, source: 'demo' },
        });
        return [spec.email, user] as const;
      }),
    );
    for (const name of ['Workplace & Hardware', 'Network & VPN', 'Business Applications']) {
      tx.create(Service, { name, organization: null });
    }
    // Acme has its own office-hours policies; Globex falls back to the global defaults.
    const acme = organizations.get('acme');
    for (const policy of ACME_POLICIES) {
      tx.create(SlaPolicy, {
        ...policy,
        organization: acme ?? null,
        name: `Acme ${policy.priority.toLowerCase()}`,
        calendar: OFFICE_HOURS,
      });
    }
    for (const spec of TICKETS) {
      const requester = users.get(spec.by);
      const organization = requester?.organization;
      if (!requester || !organization) continue;
      const ticket = tx.create(Ticket, {
        organization,
        createdBy: requester,
        priority: spec.priority,
        title: spec.title,
        description: spec.description,
      });
      recordAudit(
        tx,
        { actorId: requester.id },
        {
          action: 'ticket.created',
          organizationId: ticket.organization.id,
          entityType: 'ticket',
          entityId: ticket.id,
          newValue: { status: 'NEW', priority: spec.priority, title: spec.title },
        },
      );
    }
    return true;
  });
}
