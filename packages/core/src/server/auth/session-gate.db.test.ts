import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM, PostgreSqlConnection } from '@mikro-orm/postgresql';
import type { AnyTRPCProcedure, AnyTRPCRouter } from '@trpc/server';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../db/orm.ts';
import { queryRows } from '../db/sql.ts';
import { createTestOrganization, createTestUser, signIn } from '../testing/caller.ts';
import type { ProcedureMeta } from '../trpc/init.ts';
import { appRouter } from '../trpc/router.ts';
import type { User } from '../users/user.entity.ts';
import { sessionIdFromToken } from './session.service.ts';

// A session its process validated within the last minute is confirmed by the procedure's own first
// statement (session-gate.ts). What another process does to the session or its user in the meantime
// must show at once: a session ended elsewhere reads and writes nothing, a user changed elsewhere is
// served as they now are.

const db = useTestDatabase();
let orm: MikroORM;
let organizationId: string;
let manager: User;
let otherTicketId: string;

type Caller = ReturnType<typeof appRouter.createCaller>;

/** A new customer of the organization, signed in, their session remembered by a first call. */
async function rememberedCustomer(): Promise<{ user: User; token: string; caller: Caller }> {
  const user = await createTestUser(orm.em.fork(), { role: 'CUSTOMER_USER', organizationId });
  const session = await signIn(orm, user);
  const caller = appRouter.createCaller(session.context);
  await caller.auth.me();
  return { user, token: session.token, caller };
}

async function endSessionsOf(user: User): Promise<void> {
  await queryRows(orm.em.fork(), 'delete from sessions where user_id = ?', [user.id]);
}

async function count(table: 'tickets' | 'comments', column: string, value: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    orm.em.fork(),
    `select count(*)::int as n from ${table} where ${column} = ?`,
    [value],
  );
  return row?.n ?? -1;
}

/** Counts the connections the pool hands out while `work` runs: one per statement outside a transaction. */
async function statementsOf(work: () => Promise<unknown>): Promise<number> {
  const pool = (await (orm.em.getConnection() as PostgreSqlConnection).getNativeClient()) as pg.Pool;
  let checkouts = 0;
  const onAcquire = () => {
    checkouts++;
  };
  pool.on('acquire', onAcquire);
  try {
    await work();
  } finally {
    pool.off('acquire', onAcquire);
  }
  return checkouts;
}

beforeAll(async () => {
  orm = await openOrm(db.url);
  const em = orm.em.fork();
  organizationId = (await createTestOrganization(em)).id;
  manager = await createTestUser(em, { role: 'MANAGER' });
  const other = await rememberedCustomer();
  otherTicketId = (
    await other.caller.tickets.create({ title: 'Filed by another', description: 'x', priority: 'LOW' })
  ).id;
});

afterAll(async () => {
  await orm.close();
});

describe('a session its process remembers', () => {
  it('is confirmed by the procedure’s own statement: a ticket detail is one statement', async () => {
    const { caller } = await rememberedCustomer();
    const { id } = await caller.tickets.create({ title: 'Mine', description: 'x', priority: 'LOW' });
    // The new ticket's after-commit step (its live event) may still take a connection meanwhile.
    await caller.tickets.get({ id });
    expect(await statementsOf(() => caller.tickets.get({ id }))).toBe(1);
    expect(await statementsOf(() => caller.tickets.list({ limit: 25 }))).toBe(1);
    // A procedure that does not carry the check validates the session with a statement of its own.
    expect(await statementsOf(() => caller.services.list({}))).toBe(2);
  });

  it('reads nothing once the session ended elsewhere, found or not', async () => {
    const { user, caller } = await rememberedCustomer();
    const { id } = await caller.tickets.create({ title: 'Mine', description: 'x', priority: 'LOW' });
    await endSessionsOf(user);
    const unauthorized = { code: 'UNAUTHORIZED' };
    await expect(caller.tickets.get({ id })).rejects.toMatchObject(unauthorized);
    await expect(caller.tickets.get({ id: otherTicketId })).rejects.toMatchObject(unauthorized);
    await expect(caller.tickets.list({ limit: 25 })).rejects.toMatchObject(unauthorized);
    await expect(caller.tickets.list({ limit: 25, q: 'nothing matches this' })).rejects.toMatchObject(
      unauthorized,
    );
  });

  it('writes nothing once the session ended elsewhere', async () => {
    const { user, caller } = await rememberedCustomer();
    const { id } = await caller.tickets.create({ title: 'Mine', description: 'x', priority: 'LOW' });
    await endSessionsOf(user);
    await expect(
      caller.tickets.create({ title: 'After the end', description: 'x', priority: 'LOW' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(caller.tickets.comment({ id, body: 'After the end' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await count('tickets', 'created_by_id', user.id)).toBe(1);
    expect(await count('comments', 'author_id', user.id)).toBe(0);
  });

  it('writes nothing through the entities once the session ended elsewhere (a first response)', async () => {
    const customer = await rememberedCustomer();
    const { id } = await customer.caller.tickets.create({
      title: 'Help',
      description: 'x',
      priority: 'HIGH',
    });
    const session = await signIn(orm, manager);
    const asManager = appRouter.createCaller(session.context);
    await asManager.internal.tickets.accept({ id });
    await queryRows(orm.em.fork(), 'delete from sessions where id = ?', [sessionIdFromToken(session.token)]);
    // The manager's public reply meets the first response: a change through the entities.
    await expect(
      asManager.internal.tickets.comment({ id, body: 'After the end', internal: false }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await count('comments', 'ticket_id', id)).toBe(0);
    const [ticket] = await queryRows<{ first_responded_at: Date | null }>(
      orm.em.fork(),
      'select first_responded_at from tickets where id = ?',
      [id],
    );
    expect(ticket?.first_responded_at).toBeNull();
  });

  it('holds for an agent, who sees tickets in two ways (their own and the unassigned accepted ones)', async () => {
    const customer = await rememberedCustomer();
    const { id } = await customer.caller.tickets.create({
      title: 'For the agent',
      description: 'x',
      priority: 'LOW',
    });
    const agent = await createTestUser(orm.em.fork(), { role: 'AGENT' });
    const asManager = appRouter.createCaller((await signIn(orm, manager)).context);
    await asManager.internal.tickets.accept({ id });
    await asManager.internal.tickets.assign({ id, assigneeId: agent.id });
    const asAgent = appRouter.createCaller((await signIn(orm, agent)).context);
    await asAgent.auth.me();
    expect((await asAgent.internal.tickets.list({ limit: 25 })).items.map((ticket) => ticket.id)).toContain(
      id,
    );
    expect((await asAgent.internal.tickets.get({ id })).id).toBe(id);
    await endSessionsOf(agent);
    await expect(asAgent.internal.tickets.list({ limit: 25 })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(asAgent.internal.tickets.list({ limit: 25, q: 'agent' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(asAgent.internal.tickets.get({ id })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(
      asAgent.internal.tickets.comment({ id, body: 'After the end', internal: true }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await count('comments', 'author_id', agent.id)).toBe(0);
  });

  it('writes nothing for staff filing a ticket for a customer once their session ended', async () => {
    const customer = await rememberedCustomer();
    const session = await signIn(orm, manager);
    const asManager = appRouter.createCaller(session.context);
    await asManager.auth.me();
    await queryRows(orm.em.fork(), 'delete from sessions where id = ?', [sessionIdFromToken(session.token)]);
    await expect(
      asManager.tickets.create({
        title: 'Filed after the end',
        description: 'x',
        priority: 'LOW',
        requesterId: customer.user.id,
      }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await count('tickets', 'created_by_id', customer.user.id)).toBe(0);
    // Nor did it count against the manager's hourly ticket limit, a statement of its own before the insert.
    const counters = await queryRows<{ key: string }>(
      orm.em.fork(),
      'select key from rate_limit_counters where key = ?',
      [`tickets:user:${manager.id}`],
    );
    expect(counters).toEqual([]);
  });

  it('refuses a user deactivated elsewhere', async () => {
    const { user, caller } = await rememberedCustomer();
    await caller.tickets.create({ title: 'Mine', description: 'x', priority: 'LOW' });
    await queryRows(orm.em.fork(), 'update users set is_active = false where id = ?', [user.id]);
    await expect(caller.tickets.list({ limit: 25 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('serves a user changed elsewhere as they now are', async () => {
    const { user, caller } = await rememberedCustomer();
    const before = await caller.tickets.list({ limit: 25 });
    expect(before.items.map((ticket) => ticket.id)).not.toContain(otherTicketId);
    // Made the organization's customer admin without ending the session: they see its every ticket.
    await queryRows(orm.em.fork(), "update users set role = 'CUSTOMER_ADMIN' where id = ?", [user.id]);
    const after = await caller.tickets.list({ limit: 25 });
    expect(after.items.map((ticket) => ticket.id)).toContain(otherTicketId);
    await queryRows(orm.em.fork(), "update users set name = 'Renamed' where id = ?", [user.id]);
    expect((await caller.tickets.get({ id: otherTicketId })).id).toBe(otherTicketId);
    expect((await caller.auth.me()).name).toBe('Renamed');
  });

  it('refuses, in every procedure that carries the check, a session that ended elsewhere', async () => {
    const customer = await rememberedCustomer();
    const { id } = await customer.caller.tickets.create({ title: 'Mine', description: 'x', priority: 'LOW' });
    const session = await signIn(orm, manager);
    const asManager = appRouter.createCaller(session.context);
    await asManager.auth.me();
    // Every procedure whose metadata opts in, called as one who may call it; a procedure that opts in
    // without an entry here fails the first expectation.
    const calls: Record<string, () => Promise<unknown>> = {
      'tickets.create': () =>
        customer.caller.tickets.create({ title: 'After the end', description: 'x', priority: 'LOW' }),
      'tickets.list': () => customer.caller.tickets.list({ limit: 25 }),
      'tickets.get': () => customer.caller.tickets.get({ id }),
      'tickets.comment': () => customer.caller.tickets.comment({ id, body: 'After the end' }),
      'internal.tickets.list': () => asManager.internal.tickets.list({ limit: 25 }),
      'internal.tickets.newQueue': () => asManager.internal.tickets.newQueue({ limit: 25 }),
      'internal.tickets.get': () => asManager.internal.tickets.get({ id }),
      'internal.tickets.comment': () =>
        asManager.internal.tickets.comment({ id, body: 'After the end', internal: true }),
    };
    const router: AnyTRPCRouter = appRouter;
    const procedures = router._def.procedures as Record<string, AnyTRPCProcedure>;
    const gated = Object.entries(procedures)
      .filter(([, procedure]) => (procedure._def.meta as ProcedureMeta | undefined)?.sessionGate === true)
      .map(([path]) => path);
    expect(gated.sort()).toEqual(Object.keys(calls).sort());
    await endSessionsOf(customer.user);
    await endSessionsOf(manager);
    for (const [path, call] of Object.entries(calls)) {
      await expect(call(), path).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect(await count('comments', 'ticket_id', id)).toBe(0);
    expect(await count('tickets', 'created_by_id', customer.user.id)).toBe(1);
  });

  it('is checked in SQL by atum_session_gate, which aborts the statement when anything differs', async () => {
    const { user, token } = await rememberedCustomer();
    const sessionId = sessionIdFromToken(token);
    const gate = (role: string) =>
      queryRows<{ ok: boolean }>(
        orm.em.fork(),
        'select atum_session_gate(?, ?::uuid, ?, ?::uuid, ?, ?) as ok',
        [sessionId, user.id, role, organizationId, user.email, user.name],
      );
    expect(await gate('CUSTOMER_USER')).toEqual([{ ok: true }]);
    await expect(gate('CUSTOMER_ADMIN')).rejects.toMatchObject({ code: 'AT401' });
  });
});
