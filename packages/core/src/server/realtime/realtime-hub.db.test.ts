import { useTestDatabase } from '@atum-desk/test-helpers';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scope, SYSTEM_SCOPE } from '../auth/scope.ts';
import { openOrm } from '../db/orm.ts';
import { createLogger } from '../logging/logger.ts';
import { createTestOrganization, createTestUser } from '../testing/caller.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { addComment, createTicket, performTicketAction } from '../tickets/ticket.service.ts';
import type { User } from '../users/user.entity.ts';
import { createRealtimeHub, type LiveStreamOptions, type RealtimeHub } from './realtime-hub.ts';
import { notifyTicketEvent } from './realtime-publisher.ts';
import { type LiveEvent, TICKET_EVENTS_CHANNEL } from './ticket-notification.ts';

// One process's hub against a real PostgreSQL: ticket services publish through NOTIFY inside their
// transactions, the hub's own connection LISTENs and filters per subscriber.

const db = useTestDatabase();
const logger = createLogger({ name: 'test', level: 'silent' });
const LIMITS = { ticketsPerHour: 0 };
let orm: MikroORM;
let hub: RealtimeHub;
let requester: Scope;
let outsider: Scope;
let manager: Scope;
let agent: Scope;

function scopeOf(user: User): Scope {
  return {
    actorId: user.id,
    role: user.role,
    organizationId: user.organization?.id ?? null,
    ip: null,
    userAgent: null,
  };
}

function em(): EntityManager {
  return orm.em.fork();
}

/** Reads a stream in the background; `until` waits for an event that matches. */
function listen(scope: Scope, options: Omit<LiveStreamOptions, 'signal'> = {}, on: RealtimeHub = hub) {
  const controller = new AbortController();
  const events: LiveEvent[] = [];
  const ids: string[] = [];
  const stream = on.stream(scope, { ...options, signal: controller.signal });
  // The subscriber registers when the stream is first read, as tRPC does right after `started`.
  const first = stream.next();
  const reading = (async () => {
    for (let next = await first; !next.done; next = await stream.next()) {
      ids.push(next.value[0]);
      events.push(next.value[1]);
    }
  })();
  return {
    events,
    ids,
    kinds: () => events.map((event) => event.kind),
    async until(match: (event: LiveEvent) => boolean, timeoutMs = 5000): Promise<LiveEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching event; got ${JSON.stringify(events)}`);
        await new Promise((wake) => setTimeout(wake, 10));
      }
    },
    async stop() {
      controller.abort();
      await reading;
    },
  };
}

/** Lets notifications already sent arrive (for asserting that something did NOT arrive). */
function settle(ms = 150): Promise<void> {
  return new Promise((wake) => setTimeout(wake, ms));
}

beforeAll(async () => {
  orm = await openOrm(db.url);
  hub = createRealtimeHub({ databaseUrl: db.url, logger, reconnectDelayMs: () => 20 });
  await hub.start();
  const setup = em();
  const org = await createTestOrganization(setup, 'Acme');
  requester = scopeOf(await createTestUser(setup, { role: 'CUSTOMER_USER', organizationId: org.id }));
  outsider = scopeOf(await createTestUser(setup, { role: 'CUSTOMER_ADMIN' }));
  manager = scopeOf(await createTestUser(setup, { role: 'MANAGER' }));
  agent = scopeOf(await createTestUser(setup, { role: 'AGENT' }));
});

afterAll(async () => {
  await hub?.close();
  await orm?.close();
});

describe('the realtime hub', () => {
  it('tells each subscriber what it may see of a ticket’s life, and nothing more', async () => {
    const staff = listen(manager);
    const customer = listen(requester);
    const stranger = listen(outsider);
    const agentStream = listen(agent);

    const ticket = await createTicket(
      em(),
      requester,
      { title: 'Printer on fire', description: 'really', priority: 'HIGH' },
      LIMITS,
    );
    await performTicketAction(em(), manager, ticket.id, 'accept');
    const note = await addComment(em(), manager, { id: ticket.id, body: 'secret remark', internal: true });
    const reply = await addComment(em(), manager, { id: ticket.id, body: 'on our way', internal: false });

    await staff.until((event) => event.kind === 'commented' && event.commentId === reply.id);
    await customer.until((event) => event.kind === 'commented' && event.commentId === reply.id);
    await settle();

    expect(staff.kinds()).toEqual(['created', 'transitioned', 'commented', 'commented']);
    expect(staff.events[2]).toMatchObject({ commentId: note.id, internal: true, ticketId: ticket.id });
    expect(customer.kinds()).toEqual(['created', 'transitioned', 'commented']);
    expect(customer.events.some((event) => 'commentId' in event && event.commentId === note.id)).toBe(false);
    expect(customer.events[1]).toMatchObject({
      kind: 'transitioned',
      action: 'accept',
      status: 'ACCEPTED',
      actorId: manager.actorId,
    });
    expect(stranger.events).toEqual([]);
    // Agents see ACCEPTED unassigned tickets: the acceptance and what followed, not the NEW ticket.
    expect(agentStream.kinds()).toEqual(['transitioned', 'commented', 'commented']);
    // The same event has the same id for every subscriber (and in every process).
    expect(customer.ids[0]).toBe(staff.ids[0]);

    for (const stream of [staff, customer, stranger, agentStream]) await stream.stop();
    expect(hub.subscriberCount).toBe(0);
  });

  it('never tells of a change that rolled back', async () => {
    const staff = listen(manager);
    const ticket = await createTicket(
      em(),
      requester,
      { title: 'T', description: 'd', priority: 'LOW' },
      LIMITS,
    );
    await staff.until((event) => event.kind === 'created');
    await expect(
      em().transactional(async (tx) => {
        const current = await tx.findOneOrFail(Ticket, ticket.id);
        await notifyTicketEvent(tx, manager, { type: 'priority_changed', ticket: current, from: 'LOW' });
        throw new Error('the change failed after publishing');
      }),
    ).rejects.toThrow('failed after publishing');
    const reply = await addComment(em(), requester, { id: ticket.id, body: 'still there?', internal: false });
    await staff.until((event) => event.kind === 'commented' && event.commentId === reply.id);
    expect(staff.kinds()).toEqual(['created', 'commented']);
    await staff.stop();
  });

  it('tells staff of SLA alerts and customers nothing of them', async () => {
    const staff = listen(manager);
    const customer = listen(requester);
    const ticket = await createTicket(
      em(),
      requester,
      { title: 'T', description: 'd', priority: 'LOW' },
      LIMITS,
    );
    await em().transactional(async (tx) => {
      const current = await tx.findOneOrFail(Ticket, ticket.id);
      await notifyTicketEvent(tx, SYSTEM_SCOPE, {
        type: 'sla_alert',
        ticket: current,
        clock: 'resolution',
        kind: 'breach',
      });
    });
    const alert = await staff.until((event) => event.kind === 'sla_alert');
    expect(alert).toMatchObject({
      internal: true,
      sla: { clock: 'resolution', alert: 'breach' },
      actorId: null,
    });
    await settle();
    expect(customer.kinds()).toEqual(['created']);
    await staff.stop();
    await customer.stop();
  });

  it('carries only one ticket’s events on a ticket page, and ids and facts only on the wire', async () => {
    const watcher = new pg.Client({ connectionString: db.url });
    await watcher.connect();
    const payloads: string[] = [];
    watcher.on('notification', (message) => payloads.push(message.payload ?? ''));
    await watcher.query(`LISTEN ${TICKET_EVENTS_CHANNEL}`);
    try {
      const first = await createTicket(
        em(),
        requester,
        { title: 'One', description: 'd', priority: 'LOW' },
        LIMITS,
      );
      const second = await createTicket(
        em(),
        requester,
        { title: 'Two', description: 'd', priority: 'LOW' },
        LIMITS,
      );
      const page = listen(requester, { ticketId: first.id });
      await addComment(em(), requester, { id: second.id, body: 'about two', internal: false });
      const mine = await addComment(em(), requester, {
        id: first.id,
        body: 'the body stays home',
        internal: false,
      });
      await page.until((event) => event.kind === 'commented');
      await settle();
      // The first ticket's own 'created' may still be on its way (NOTIFY follows the commit), so
      // the page may see it; it must never see the second ticket's events.
      expect(page.events.every((event) => 'ticketId' in event && event.ticketId === first.id)).toBe(true);
      const comments = page.events.filter((event) => event.kind === 'commented');
      expect(comments).toHaveLength(1);
      expect(comments[0]).toMatchObject({ ticketId: first.id, commentId: mine.id });
      await page.stop();

      expect(payloads.length).toBeGreaterThanOrEqual(4);
      for (const payload of payloads) {
        expect(Buffer.byteLength(payload)).toBeLessThan(1000);
        expect(payload).not.toContain('the body stays home');
        expect(payload).not.toContain('One');
      }
    } finally {
      await watcher.end();
    }
  });

  it('starts a resumed stream with resync', async () => {
    const resumed = listen(requester, { resumed: true });
    await resumed.until((event) => event.kind === 'resync');
    expect(resumed.events[0]).toMatchObject({ kind: 'resync', reason: 'resumed' });
    await resumed.stop();
  });

  it('reconnects when its connection is killed, says resync, and later events still arrive', async () => {
    const staff = listen(manager);
    const killer = new pg.Client({ connectionString: db.url });
    await killer.connect();
    try {
      const killed = await killer.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and query like 'LISTEN%' and pid <> pg_backend_pid()`,
      );
      expect(killed.rowCount).toBeGreaterThanOrEqual(1);
    } finally {
      await killer.end();
    }
    await staff.until((event) => event.kind === 'resync');
    expect(staff.events.find((event) => event.kind === 'resync')).toMatchObject({
      reason: 'listener_reconnected',
    });
    expect(hub.listening).toBe(true);
    const ticket = await createTicket(
      em(),
      requester,
      { title: 'After', description: 'd', priority: 'LOW' },
      LIMITS,
    );
    await staff.until((event) => event.kind === 'created' && event.ticketId === ticket.id);
    await staff.stop();
  });

  it('gives a subscriber that fell far behind one resync instead of a backlog', async () => {
    const small = createRealtimeHub({ databaseUrl: db.url, logger, maxQueuedEvents: 2 });
    await small.start();
    try {
      const stream = small.stream(manager);
      const first = stream.next(); // registers; the stream is then not read while events pile up
      const ticket = await createTicket(
        em(),
        requester,
        { title: 'T', description: 'd', priority: 'LOW' },
        LIMITS,
      );
      for (let i = 0; i < 3; i++)
        await addComment(em(), manager, { id: ticket.id, body: `${i}`, internal: true });
      await settle(300);
      expect((await first).value?.[1]).toMatchObject({ kind: 'created' });
      const next = await stream.next();
      expect(next.value?.[1]).toMatchObject({ kind: 'resync', reason: 'overflow' });
      await stream.return();
    } finally {
      await small.close();
    }
  });

  it('ends every stream when it closes', async () => {
    const other = createRealtimeHub({ databaseUrl: db.url, logger });
    await other.start();
    const staff = listen(manager, {}, other);
    await settle(20);
    await other.close();
    await staff.stop();
    expect(other.subscriberCount).toBe(0);
    expect(other.listening).toBe(false);
  });
});
