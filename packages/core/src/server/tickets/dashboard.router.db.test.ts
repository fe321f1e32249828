import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../db/orm.ts';
import { callerFor, createTestOrganization, createTestUser } from '../testing/caller.ts';
import type { User } from '../users/user.entity.ts';
import { dashboardDays } from './dashboard.service.ts';
import { Ticket } from './ticket.entity.ts';

// The staff dashboard's figures, counted by PostgreSQL over what the caller may see.

const db = useTestDatabase();
let orm: MikroORM;
let manager: User;
let agent: User;
let acmeId: string;
let globexId: string;
const HOUR = 3_600_000;

type Caller = Awaited<ReturnType<typeof callerFor>>;
let asManager: Caller;
let asAgent: Caller;

beforeAll(async () => {
  orm = await openOrm(db.url);
  const em = orm.em.fork();
  const acme = await createTestOrganization(em, 'Acme');
  const globex = await createTestOrganization(em, 'Globex');
  acmeId = acme.id;
  globexId = globex.id;
  const alice = await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: acme.id });
  const carol = await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: globex.id });
  manager = await createTestUser(em, { role: 'MANAGER' });
  agent = await createTestUser(em, { role: 'AGENT' });
  asManager = await callerFor(orm, manager);
  asAgent = await callerFor(orm, agent);
  const asAlice = await callerFor(orm, alice);
  const asCarol = await callerFor(orm, carol);

  const file = (caller: Caller, title: string, priority: 'URGENT' | 'HIGH' | 'MEDIUM' | 'LOW') =>
    caller.tickets.create({ title, description: 'd', priority });
  // Two NEW tickets, the older one backdated by a day.
  const oldNew = await file(asAlice, 'old new', 'LOW');
  await file(asCarol, 'fresh new', 'URGENT');
  await orm.em
    .fork()
    .nativeUpdate(Ticket, { id: oldNew.id }, { createdAt: new Date(Date.now() - 26 * HOUR) });
  // Accepted and assigned to the agent: breached (first response due an hour ago).
  const breached = await file(asAlice, 'breached', 'HIGH');
  await asManager.internal.tickets.accept({ id: breached.id });
  await asManager.internal.tickets.assign({ id: breached.id, assigneeId: agent.id });
  await orm.em
    .fork()
    .nativeUpdate(
      Ticket,
      { id: breached.id },
      { slaStartedAt: new Date(Date.now() - 3 * HOUR), firstResponseDueAt: new Date(Date.now() - HOUR) },
    );
  // Accepted, unassigned, at risk: 1 hour left of 11.
  const atRisk = await file(asCarol, 'at risk', 'HIGH');
  await asManager.internal.tickets.accept({ id: atRisk.id });
  await orm.em.fork().nativeUpdate(
    Ticket,
    { id: atRisk.id },
    {
      slaStartedAt: new Date(Date.now() - 10 * HOUR),
      firstResponseDueAt: new Date(Date.now() + HOUR),
      resolutionDueAt: new Date(Date.now() + 100 * HOUR),
    },
  );
  // Assigned to the agent, waiting for the customer.
  const waiting = await file(asAlice, 'waiting', 'MEDIUM');
  await asManager.internal.tickets.accept({ id: waiting.id });
  await asManager.internal.tickets.assign({ id: waiting.id, assigneeId: agent.id });
  await asAgent.internal.tickets.status({ id: waiting.id, status: 'WAITING_CUSTOMER' });
  // Resolved today.
  const resolved = await file(asAlice, 'resolved', 'LOW');
  await asManager.internal.tickets.accept({ id: resolved.id });
  await asManager.internal.tickets.assign({ id: resolved.id, assigneeId: manager.id });
  await asManager.internal.tickets.status({
    id: resolved.id,
    status: 'RESOLVED',
    resolution: 'fixed',
    rootCause: 'worn part',
  });
});

afterAll(async () => {
  await orm?.close();
});

describe('internal.dashboard.summary', () => {
  it('counts every ticket a manager sees by status, priority, queue, SLA and day', async () => {
    const summary = await asManager.internal.dashboard.summary({ timezone: 'Europe/Berlin' });
    const byStatus = Object.fromEntries(summary.byStatus.map((row) => [row.status, row.count]));
    expect(byStatus).toMatchObject({
      NEW: 2,
      ACCEPTED: 1,
      ASSIGNED: 1,
      WAITING_CUSTOMER: 1,
      RESOLVED: 1,
      CLOSED: 0,
    });
    expect(summary.openByPriority).toEqual([
      { priority: 'URGENT', count: 1 },
      { priority: 'HIGH', count: 2 },
      { priority: 'MEDIUM', count: 1 },
      { priority: 'LOW', count: 1 },
    ]);
    expect(summary.newQueue.count).toBe(2);
    expect(Date.now() - (summary.newQueue.oldestCreatedAt?.getTime() ?? 0)).toBeGreaterThan(25 * HOUR);
    expect(summary.sla).toEqual({ atRisk: 1, breached: 1 });
    // The manager holds only the resolved ticket, which is no longer open.
    expect(summary.mine).toEqual({ open: 0, waitingCustomer: 0, breached: 0 });
    expect(summary.organizations).toEqual(
      expect.arrayContaining([
        { id: acmeId, name: 'Acme', open: 3 },
        { id: globexId, name: 'Globex', open: 2 },
      ]),
    );
    expect(summary.daily).toHaveLength(30);
    const today = summary.daily.at(-1);
    expect(today?.day).toBe(dashboardDays(new Date(), 'Europe/Berlin').at(-1));
    expect(summary.daily.reduce((total, day) => total + day.created, 0)).toBe(6);
    expect(today?.resolved).toBe(1);
  });

  it("counts only an agent's own and takeable tickets for an agent", async () => {
    const summary = await asAgent.internal.dashboard.summary({});
    const byStatus = Object.fromEntries(summary.byStatus.map((row) => [row.status, row.count]));
    expect(byStatus).toMatchObject({ NEW: 0, ACCEPTED: 1, ASSIGNED: 1, WAITING_CUSTOMER: 1, RESOLVED: 0 });
    expect(summary.newQueue).toEqual({ count: 0, oldestCreatedAt: null });
    expect(summary.mine).toEqual({ open: 2, waitingCustomer: 1, breached: 1 });
    expect(summary.sla).toEqual({ atRisk: 1, breached: 1 });
    expect(summary.timezone).toBe('UTC');
  });

  it('answers 400 for a timezone PostgreSQL would not know', async () => {
    await expect(asManager.internal.dashboard.summary({ timezone: 'Mars/Olympus' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('dashboardDays', () => {
  it('ends on the local day and never skips one across a DST change', () => {
    const days = dashboardDays(new Date('2026-03-30T22:30:00Z'), 'Europe/Berlin', 5);
    expect(days).toEqual(['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
  });
});
