import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_SCOPE } from '../auth/scope.ts';
import { openOrm } from '../db/orm.ts';
import { createTestUser } from '../testing/caller.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { createTicket } from '../tickets/ticket.service.ts';
import { notifyTicketEvent } from './realtime-publisher.ts';
import { TICKET_EVENTS_CHANNEL, type TicketNotification } from './ticket-notification.ts';

// The publisher announces an event only once the transaction that published it has committed: right
// after the commit when the entity manager tells of it, else on its own check of the transaction's
// status (a savepoint, a change still running).

const db = useTestDatabase();
let orm: MikroORM;
let listener: pg.Client;
let heard: TicketNotification[] = [];
let ticketId: string;

async function waitFor(count: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (heard.length < count) {
    if (Date.now() > deadline) throw new Error(`heard ${heard.length} of ${count}`);
    await new Promise((wake) => setTimeout(wake, 5));
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((wake) => setTimeout(wake, ms));
}

/** Publishes a priority change of the test ticket through `tx`. */
async function publish(tx: Parameters<typeof notifyTicketEvent>[0]): Promise<void> {
  const ticket = await tx.findOneOrFail(Ticket, ticketId);
  await notifyTicketEvent(tx, SYSTEM_SCOPE, { type: 'priority_changed', ticket, from: 'LOW' });
}

beforeAll(async () => {
  orm = await openOrm(db.url);
  const requester = await createTestUser(orm.em.fork(), { role: 'CUSTOMER_USER' });
  ticketId = (
    await createTicket(
      orm.em.fork(),
      {
        actorId: requester.id,
        role: 'CUSTOMER_USER',
        organizationId: requester.organization?.id ?? null,
        ip: null,
        userAgent: null,
      },
      { title: 'T', description: 'd', priority: 'LOW' },
      { ticketsPerHour: 0 },
    )
  ).id;
  listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  listener.on('notification', (message) => heard.push(JSON.parse(message.payload ?? '{}')));
  await listener.query(`LISTEN ${TICKET_EVENTS_CHANNEL}`);
  await pause(100); // the creation's own event
});

beforeEach(() => {
  heard = [];
});

afterAll(async () => {
  await listener?.end();
  await orm?.close();
});

describe('the live-update publisher', () => {
  it('announces nothing while the transaction runs, and everything once it commits, in order', async () => {
    await orm.em.fork().transactional(async (tx) => {
      for (let i = 0; i < 5; i++) await publish(tx);
      await pause(150);
      expect(heard).toEqual([]);
    });
    await waitFor(5);
    expect(heard.map((event) => event.kind)).toEqual(Array(5).fill('priority_changed'));
    const ids = heard.map((event) => event.id);
    expect([...ids].sort()).toEqual(ids);
  });

  it('waits for the outer transaction when the event was published in a savepoint', async () => {
    await orm.em.fork().transactional(async (outer) => {
      await outer.transactional(async (inner) => publish(inner));
      await pause(150);
      expect(heard).toEqual([]);
    });
    await waitFor(1);
  });

  it('never announces the event of a transaction that rolled back', async () => {
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await publish(tx);
        throw new Error('changed our mind');
      }),
    ).rejects.toThrow('changed our mind');
    await orm.em.fork().transactional(async (tx) => publish(tx));
    await waitFor(1);
    await pause(100);
    expect(heard).toHaveLength(1);
  });

  it('announces an event published outside any transaction', async () => {
    await publish(orm.em.fork());
    await waitFor(1);
  });

  it('keeps up with many concurrent changes, announcing each once', async () => {
    await Promise.all(
      Array.from({ length: 40 }, () => orm.em.fork().transactional(async (tx) => publish(tx))),
    );
    await waitFor(40);
    await pause(100);
    expect(new Set(heard.map((event) => event.id)).size).toBe(40);
    expect(heard).toHaveLength(40);
  });
});
