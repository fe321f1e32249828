import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../domain/auth/roles.ts';
import { openOrm } from '../db/orm.ts';
import { callerFor, createTestOrganization, createTestUser } from '../testing/caller.ts';
import type { User } from '../users/user.entity.ts';
import { appRouter } from './router.ts';

// Every procedure of the router, enumerated from the router itself: a procedure added without an
// entry here fails the first test, so none can ship without its access rule being tested.

type Access = 'public' | 'signedIn' | 'staff' | 'manager' | 'admin';
type Caller = Awaited<ReturnType<typeof callerFor>>;

/** Who may call each procedure (SPEC §4, §11). */
const ACCESS: Record<string, Access> = {
  'auth.login': 'public',
  'auth.logout': 'signedIn',
  'auth.me': 'signedIn',
  'audit.list': 'manager',
  'audit.verify': 'admin',
  'tickets.create': 'signedIn',
  'tickets.list': 'signedIn',
  'tickets.get': 'signedIn',
  'tickets.comment': 'signedIn',
  'tickets.cancel': 'signedIn',
  'orgs.list': 'admin',
  'orgs.create': 'admin',
  'orgs.get': 'admin',
  'orgs.update': 'admin',
  'users.list': 'admin',
  'users.create': 'admin',
  'users.get': 'admin',
  'users.update': 'admin',
  'services.list': 'signedIn',
  'services.create': 'admin',
  'services.update': 'admin',
  'sla.policies.list': 'admin',
  'sla.policies.create': 'admin',
  'sla.policies.update': 'admin',
  'sla.policies.delete': 'admin',
  'internal.tickets.list': 'staff',
  'internal.tickets.newQueue': 'manager',
  'internal.tickets.get': 'staff',
  'internal.tickets.sla': 'staff',
  'internal.tickets.accept': 'manager',
  'internal.tickets.reject': 'manager',
  'internal.tickets.assign': 'staff',
  'internal.tickets.status': 'staff',
  'internal.tickets.priority': 'staff',
  'internal.tickets.comment': 'staff',
  'internal.staff.list': 'staff',
  'internal.dashboard.summary': 'staff',
  'notifications.list': 'admin',
  'csat.get': 'public',
  'csat.submit': 'public',
  'events.onTicketEvent': 'signedIn',
  'presence.announce': 'staff',
  'presence.onTicket': 'staff',
};

const ALLOWED_ROLES: Record<Access, readonly UserRole[]> = {
  public: ['CUSTOMER_USER', 'CUSTOMER_ADMIN', 'AGENT', 'MANAGER', 'ADMIN'],
  signedIn: ['CUSTOMER_USER', 'CUSTOMER_ADMIN', 'AGENT', 'MANAGER', 'ADMIN'],
  staff: ['AGENT', 'MANAGER', 'ADMIN'],
  manager: ['MANAGER', 'ADMIN'],
  admin: ['ADMIN'],
};
const ROLES: UserRole[] = ['CUSTOMER_USER', 'CUSTOMER_ADMIN', 'AGENT', 'MANAGER', 'ADMIN'];

const db = useTestDatabase();
let orm: MikroORM;
const callers = new Map<string, Caller>();
const users = new Map<string, User>();
let orgTicketId: string;
let assignedTicketId: string;

/**
 * Calls a procedure by its dotted path with `input`; returns the error code, or 'OK'. A subscription
 * passes its middlewares before it hands back its stream, which is closed unread: 'OK' means admitted.
 */
async function outcome(caller: Caller, path: string, input: unknown): Promise<string> {
  let target: unknown = caller;
  for (const segment of path.split('.')) target = (target as Record<string, unknown>)[segment];
  try {
    const result = await (target as (input: unknown) => Promise<unknown>)(input);
    if (typeof result === 'object' && result !== null && Symbol.asyncIterator in result) {
      await (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.();
    }
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

function callerOf(name: string): Caller {
  const caller = callers.get(name);
  if (!caller) throw new Error(`no caller ${name}`);
  return caller;
}

beforeAll(async () => {
  orm = await openOrm(db.url);
  const em = orm.em.fork();
  const orgA = await createTestOrganization(em, 'Org A');
  const orgB = await createTestOrganization(em, 'Org B');
  const make = async (name: string, role: UserRole, organizationId: string | null) => {
    const user = await createTestUser(em, { role, organizationId });
    users.set(name, user);
    callers.set(name, await callerFor(orm, user));
  };
  for (const role of ROLES) await make(role, role, role.startsWith('CUSTOMER') ? orgA.id : null);
  await make('CUSTOMER_USER_B', 'CUSTOMER_USER', orgB.id);
  await make('CUSTOMER_ADMIN_B', 'CUSTOMER_ADMIN', orgB.id);
  await make('AGENT_2', 'AGENT', null);
  callers.set('anonymous', await callerFor(orm, null));

  const customer = callerOf('CUSTOMER_USER');
  const manager = callerOf('MANAGER');
  orgTicketId = (await customer.tickets.create({ title: 'A', description: 'org A ticket', priority: 'LOW' }))
    .id;
  assignedTicketId = (await customer.tickets.create({ title: 'B', description: 'assigned', priority: 'LOW' }))
    .id;
  await manager.internal.tickets.accept({ id: assignedTicketId });
  await manager.internal.tickets.assign({ id: assignedTicketId, assigneeId: users.get('AGENT')?.id ?? '' });
});
afterAll(async () => {
  await orm?.close();
});

describe('the access table', () => {
  it('names every procedure of the router, and nothing else', () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual(Object.keys(ACCESS).sort());
  });
});

describe('a role without the right', () => {
  const cases = Object.entries(ACCESS).flatMap(([path, access]) =>
    ROLES.filter((role) => !ALLOWED_ROLES[access].includes(role)).map((role) => ({ path, role })),
  );
  it.each(cases)('$role calling $path is refused with FORBIDDEN', async ({ path, role }) => {
    expect(await outcome(callerOf(role), path, {})).toBe('FORBIDDEN');
  });

  const signedInOnly = Object.entries(ACCESS).filter(([, access]) => access !== 'public');
  it.each(signedInOnly)('an anonymous call of %s is refused with UNAUTHORIZED', async (path) => {
    expect(await outcome(callerOf('anonymous'), path, {})).toBe('UNAUTHORIZED');
  });
});

describe('another organization', () => {
  const attempts: [string, (id: string) => unknown][] = [
    ['tickets.get', (id) => ({ id })],
    ['tickets.comment', (id) => ({ id, body: 'hello from another organization' })],
    ['tickets.cancel', (id) => ({ id })],
    ['events.onTicketEvent', (id) => ({ ticketId: id })],
  ];
  it.each(
    attempts.flatMap(([path, input]) =>
      ['CUSTOMER_USER_B', 'CUSTOMER_ADMIN_B'].map((who) => ({ path, who, input })),
    ),
  )("$who calling $path on org A's ticket gets NOT_FOUND", async ({ path, who, input }) => {
    expect(await outcome(callerOf(who), path, input(orgTicketId))).toBe('NOT_FOUND');
  });

  it("never lists org A's tickets to org B", async () => {
    for (const who of ['CUSTOMER_USER_B', 'CUSTOMER_ADMIN_B']) {
      const page = await callerOf(who).tickets.list({ limit: 100 });
      expect(page.items.map((ticket) => ticket.organizationId)).not.toContain(
        users.get('CUSTOMER_USER')?.organization?.id,
      );
    }
  });
});

describe('an agent and a ticket that is not theirs', () => {
  it.each([
    ['internal.tickets.get', { id: '' }],
    ['internal.tickets.comment', { id: '', body: 'not mine', internal: true }],
    ['internal.tickets.status', { id: '', status: 'WAITING_CUSTOMER' }],
    ['tickets.get', { id: '' }],
  ] as const)('AGENT_2 calling %s gets NOT_FOUND', async (path, input) => {
    expect(await outcome(callerOf('AGENT_2'), path, { ...input, id: assignedTicketId })).toBe('NOT_FOUND');
  });

  it.each([
    ['presence.announce', { ticketId: '', state: 'viewing' }],
    ['presence.onTicket', { ticketId: '' }],
  ] as const)('AGENT_2 calling %s on it gets NOT_FOUND, the assigned agent OK', async (path, input) => {
    expect(await outcome(callerOf('AGENT_2'), path, { ...input, ticketId: assignedTicketId })).toBe(
      'NOT_FOUND',
    );
    expect(await outcome(callerOf('AGENT'), path, { ...input, ticketId: assignedTicketId })).toBe('OK');
  });

  it('while the assigned agent may', async () => {
    expect(await outcome(callerOf('AGENT'), 'internal.tickets.get', { id: assignedTicketId })).toBe('OK');
  });

  it('and a NEW ticket is invisible to agents', async () => {
    expect(await outcome(callerOf('AGENT'), 'internal.tickets.get', { id: orgTicketId })).toBe('NOT_FOUND');
  });
});

describe('customers within one organization', () => {
  it("let a customer admin see a colleague's ticket, and a plain customer only their own", async () => {
    expect(await outcome(callerOf('CUSTOMER_ADMIN'), 'tickets.get', { id: orgTicketId })).toBe('OK');
    const colleague = await createTestUser(orm.em.fork(), {
      role: 'CUSTOMER_USER',
      organizationId: users.get('CUSTOMER_USER')?.organization?.id ?? null,
    });
    expect(await outcome(await callerFor(orm, colleague), 'tickets.get', { id: orgTicketId })).toBe(
      'NOT_FOUND',
    );
  });
});
