import {
  createLogger,
  createTicket,
  type MikroORM,
  openOrm,
  performTicketAction,
  type Scope,
  SlaPolicy,
  Ticket,
} from '@atum-desk/core/server';
import { createTestOrganization, createTestUser } from '@atum-desk/core/testing';
import { useTestDatabase } from '@atum-desk/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../worker.ts';

// The timers as the worker runs them: a ticket whose clocks ran out while nobody watched is flagged
// by its own timer jobs as soon as a worker is up.

const db = useTestDatabase();
let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm(db.url);
});
afterAll(async () => {
  await orm?.close();
});

describe('SLA timers in the worker', () => {
  it('raise the breaches of overdue clocks', async () => {
    const em = orm.em.fork();
    const organization = await createTestOrganization(em);
    em.create(SlaPolicy, {
      organization,
      name: 'One minute',
      priority: 'URGENT',
      firstResponseMinutes: 1,
      resolutionMinutes: 2,
      calendar: { timezone: 'UTC', weekly: {}, holidays: [] },
      warnAtPercent: 80,
    });
    await em.flush();
    const asScope = (user: {
      id: string;
      role: Scope['role'];
      organization?: { id: string } | null;
    }): Scope => ({
      actorId: user.id,
      role: user.role,
      organizationId: user.organization?.id ?? null,
      ip: null,
      userAgent: null,
    });
    const customer = asScope(
      await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: organization.id }),
    );
    const manager = asScope(await createTestUser(em, { role: 'MANAGER' }));
    const past = new Date(Date.now() - 10 * 60_000);
    const ticket = await createTicket(
      orm.em.fork(),
      customer,
      { title: 'Down', description: 'x', priority: 'URGENT' },
      { ticketsPerHour: 0 },
      past,
    );
    await performTicketAction(orm.em.fork(), manager, ticket.id, 'accept', {}, past);

    const worker = await startWorker({
      databaseUrl: db.url,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    try {
      const deadline = Date.now() + 20_000;
      let current = await orm.em.fork().findOneOrFail(Ticket, ticket.id);
      while (!(current.firstResponseBreached && current.resolutionBreached) && Date.now() < deadline) {
        await new Promise((wake) => setTimeout(wake, 200));
        current = await orm.em.fork().findOneOrFail(Ticket, ticket.id);
      }
      expect([current.firstResponseBreached, current.resolutionBreached]).toEqual([true, true]);
      const audit = await orm.em
        .fork()
        .execute<{ action: string }[]>(
          "select action from audit_log where entity_id = ? and action = 'sla.breached'",
          [ticket.id],
        );
      expect(audit).toHaveLength(2);
    } finally {
      await worker.stop();
    }
  });
});
