import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TICKET_STATUSES } from '../../domain/tickets/ticket-enums.ts';
import type { Scope } from '../auth/scope.ts';
import { SYSTEM_SCOPE } from '../auth/scope.ts';
import { createTestOrganization, createTestUser } from '../testing/caller.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import type { User } from '../users/user.entity.ts';
import { openOrm } from './orm.ts';
import { canSeeTicket, listVisibleTickets, visibleTickets } from './scoped.ts';

// The live-event predicate and the query filter are read from one rule table; this shows that they
// agree on real rows: every role against tickets in every status, held by nobody, by one agent or by
// another, filed by one customer, a colleague or another organization's customer.

const db = useTestDatabase();
let orm: MikroORM;
const scopes: { name: string; scope: Scope }[] = [];
const tickets: Ticket[] = [];

function scopeOf(user: User): Scope {
  return {
    actorId: user.id,
    role: user.role,
    organizationId: user.organization?.id ?? null,
    ip: null,
    userAgent: null,
  };
}

beforeAll(async () => {
  orm = await openOrm(db.url);
  const em = orm.em.fork();
  const orgA = await createTestOrganization(em, 'A');
  const orgB = await createTestOrganization(em, 'B');
  const requester = await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: orgA.id });
  const colleague = await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: orgA.id });
  const customerAdmin = await createTestUser(em, { role: 'CUSTOMER_ADMIN', organizationId: orgA.id });
  const outsider = await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: orgB.id });
  const outsiderAdmin = await createTestUser(em, { role: 'CUSTOMER_ADMIN', organizationId: orgB.id });
  const agent = await createTestUser(em, { role: 'AGENT' });
  const otherAgent = await createTestUser(em, { role: 'AGENT' });
  const manager = await createTestUser(em, { role: 'MANAGER' });
  const admin = await createTestUser(em, { role: 'ADMIN' });
  for (const [name, user] of Object.entries({
    requester,
    colleague,
    customerAdmin,
    outsider,
    outsiderAdmin,
    agent,
    otherAgent,
    manager,
    admin,
  })) {
    scopes.push({ name, scope: scopeOf(user) });
  }
  scopes.push({ name: 'system', scope: SYSTEM_SCOPE });

  for (const status of TICKET_STATUSES) {
    for (const assignee of [null, agent, otherAgent]) {
      for (const filer of [requester, colleague, outsider]) {
        tickets.push(
          em.create(Ticket, {
            organization: filer.organization ?? orgA,
            createdBy: filer,
            assignedTo: assignee,
            status,
            priority: 'LOW',
            title: `${status} by ${filer.name}`,
            // Every third ticket is about a printer: what the search tests look for.
            description: tickets.length % 3 === 0 ? 'the printer jams again' : 'a ticket situation',
          }),
        );
      }
    }
  }
  await em.flush();
});

afterAll(async () => {
  await orm?.close();
});

describe('canSeeTicket', () => {
  it('has tickets of every situation to judge', () => {
    expect(tickets).toHaveLength(TICKET_STATUSES.length * 3 * 3);
  });

  it.each([
    'requester',
    'colleague',
    'customerAdmin',
    'outsider',
    'outsiderAdmin',
    'agent',
    'otherAgent',
    'manager',
    'admin',
    'system',
  ])('agrees with the visibleTickets query for %s', async (name) => {
    const { scope } = scopes.find((entry) => entry.name === name) ?? {};
    if (!scope) throw new Error(`no scope ${name}`);
    const ids = new Set(tickets.map((ticket) => ticket.id));
    const queried = (await orm.em.fork().find(Ticket, visibleTickets(scope), { fields: ['id'] }))
      .map((ticket) => ticket.id)
      .filter((id) => ids.has(id))
      .sort();
    const predicted = tickets
      .filter((ticket) =>
        canSeeTicket(scope, {
          organizationId: ticket.organization.id,
          createdById: ticket.createdBy.id,
          assignedToId: ticket.assignedTo?.id ?? null,
          status: ticket.status,
        }),
      )
      .map((ticket) => ticket.id)
      .sort();
    expect(predicted).toEqual(queried);
    // Every role sees some of these tickets and misses others (but the all-seeing ones): a rule that
    // hid everything would agree with itself too.
    expect(predicted.length).toBeGreaterThan(0);
  });
});

/** Every page of a list, followed by its cursors. */
async function walk(
  scope: Scope,
  filters: Parameters<typeof listVisibleTickets>[2],
  page: { limit: number; searchWindow?: number },
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const result = await listVisibleTickets(orm.em.fork(), scope, filters, { ...page, cursor });
    expect(result.items.length).toBeLessThanOrEqual(page.limit);
    ids.push(...result.items.map((ticket) => ticket.id));
    if (!result.nextCursor) return ids;
    cursor = result.nextCursor;
  }
  throw new Error('the cursor never ended');
}

/** The tickets of this file a scope may see, newest first (ties by id, as the lists order them). */
function expected(scope: Scope, matches: (ticket: Ticket) => boolean = () => true): string[] {
  return tickets
    .filter(
      (ticket) =>
        matches(ticket) &&
        canSeeTicket(scope, {
          organizationId: ticket.organization.id,
          createdById: ticket.createdBy.id,
          assignedToId: ticket.assignedTo?.id ?? null,
          status: ticket.status,
        }),
    )
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((ticket) => ticket.id);
}

describe('listVisibleTickets', () => {
  const ours = (ids: string[]) => {
    const known = new Set(tickets.map((ticket) => ticket.id));
    return ids.filter((id) => known.has(id));
  };

  it.each(['requester', 'customerAdmin', 'agent', 'manager'])(
    'pages through exactly what %s may see, newest first, each ticket once',
    async (name) => {
      const { scope } = scopes.find((entry) => entry.name === name) ?? {};
      if (!scope) throw new Error(`no scope ${name}`);
      const listed = ours(await walk(scope, {}, { limit: 4 }));
      expect(listed).toEqual(expected(scope));
      expect(new Set(listed).size).toBe(listed.length);
      // An agent sees tickets two ways (held by them, or accepted and held by nobody): both are merged.
      if (name === 'agent') {
        expect(listed.length).toBeGreaterThan(TICKET_STATUSES.length * 3);
        const filtered = ours(await walk(scope, { status: 'ACCEPTED' }, { limit: 2 }));
        expect(filtered).toEqual(expected(scope, (ticket) => ticket.status === 'ACCEPTED'));
      }
    },
  );

  it.each([1, 3, 1000])(
    'finds the same pages of a search whether the ordered window (%i tickets) holds them or not',
    async (searchWindow) => {
      const { scope } = scopes.find((entry) => entry.name === 'customerAdmin') ?? {};
      if (!scope) throw new Error('no scope');
      const printers = expected(scope, (ticket) => ticket.description.includes('printer'));
      expect(printers.length).toBeGreaterThan(6);
      expect(ours(await walk(scope, { q: 'printer' }, { limit: 3, searchWindow }))).toEqual(printers);
      expect(ours(await walk(scope, { q: 'printers jamming' }, { limit: 5, searchWindow }))).toEqual(
        printers,
      );
      expect(await walk(scope, { q: 'scanner' }, { limit: 3, searchWindow })).toEqual([]);
    },
  );
});
