import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../auth/scope.ts';
import { openOrm } from '../db/orm.ts';
import { createLogger } from '../logging/logger.ts';
import { createTestOrganization, createTestUser } from '../testing/caller.ts';
import { autoCloseResolvedTickets } from '../tickets/auto-close.service.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { addComment, createTicket, performTicketAction } from '../tickets/ticket.service.ts';
import type { User } from '../users/user.entity.ts';
import { checkSlaAlert, sweepSlaBreaches } from './sla-alerts.service.ts';
import { SlaPolicy } from './sla-policy.entity.ts';
import { slaTimelineOf } from './sla-timeline.service.ts';

// The SLA lifecycle against PostgreSQL with the time passed in: no sleeps, exact instants.

const db = useTestDatabase();
let orm: MikroORM;
let customer: Scope;
let manager: Scope;
let agent: Scope;
let organizationId: string;

function scopeOf(user: User): Scope {
  return {
    actorId: user.id,
    role: user.role,
    organizationId: user.organization?.id ?? null,
    ip: null,
    userAgent: null,
  };
}

const T0 = new Date('2026-06-01T10:00:00Z');
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

async function acceptedTicket(priority: 'URGENT' | 'HIGH' = 'URGENT', at = T0): Promise<string> {
  const ticket = await createTicket(
    orm.em.fork(),
    customer,
    { title: 'SLA', description: 'x', priority },
    { ticketsPerHour: 0 },
    at,
  );
  await performTicketAction(orm.em.fork(), manager, ticket.id, 'accept', {}, at);
  await performTicketAction(orm.em.fork(), manager, ticket.id, 'assign', { assigneeId: agent.actorId }, at);
  return ticket.id;
}

async function load(id: string): Promise<Ticket> {
  return orm.em.fork().findOneOrFail(Ticket, id);
}

/**
 * The ticket's timer jobs, once the changes so far have set them: jobs are set after the commit, by the
 * process, in the background (sla-timer-outbox.ts), so this waits until no timer row waits for its job.
 */
async function timers(ticketId: string): Promise<Record<string, string>> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const [waiting] = await orm.em
      .fork()
      .execute<{ count: number }[]>(
        'select count(*)::int as count from sla_timers where ticket_id = ? and enqueued_at is null',
        [ticketId],
      );
    if (waiting?.count === 0) break;
    if (Date.now() > deadline) throw new Error('timed out waiting for the timer jobs');
    await new Promise((wake) => setTimeout(wake, 20));
  }
  const rows = await orm.em
    .fork()
    .execute<{ key: string; run_at: Date }[]>(
      "select key, run_at from graphile_worker.jobs where task_identifier = 'sla/check-alert' and key like ?",
      [`sla:${ticketId}:%`],
    );
  return Object.fromEntries(
    rows.map((row) => [row.key.replace(`sla:${ticketId}:`, ''), new Date(row.run_at).toISOString()]),
  );
}

async function auditActions(ticketId: string): Promise<string[]> {
  const rows = await orm.em
    .fork()
    .execute<{ action: string }[]>(
      "select action from audit_log where entity_id = ? and action like 'sla.%' order by chain_seq",
      [ticketId],
    );
  return rows.map((row) => row.action);
}

beforeAll(async () => {
  orm = await openOrm(db.url);
  const em = orm.em.fork();
  const organization = await createTestOrganization(em);
  organizationId = organization.id;
  // A policy of the organization's own, round the clock: URGENT answers in 1 minute, resolves in 5.
  em.create(SlaPolicy, {
    organization,
    name: 'Fast',
    priority: 'URGENT',
    firstResponseMinutes: 1,
    resolutionMinutes: 5,
    calendar: { timezone: 'UTC', weekly: {}, holidays: [] },
    warnAtPercent: 50,
  });
  await em.flush();
  customer = scopeOf(await createTestUser(em, { role: 'CUSTOMER_USER', organizationId }));
  manager = scopeOf(await createTestUser(em, { role: 'MANAGER' }));
  agent = scopeOf(await createTestUser(em, { role: 'AGENT' }));
});
afterAll(async () => {
  await orm?.close();
});

describe('the SLA lifecycle', () => {
  it('sets due times at acceptance from the organization policy and a timer at each alert', async () => {
    const id = await acceptedTicket();
    const ticket = await load(id);
    expect(ticket.firstResponseDueAt).toEqual(seconds(60));
    expect(ticket.resolutionDueAt).toEqual(seconds(300));
    expect(await timers(id)).toEqual({
      'first_response:warning': seconds(30).toISOString(),
      'first_response:breach': seconds(60).toISOString(),
      'resolution:warning': seconds(150).toISOString(),
      'resolution:breach': seconds(300).toISOString(),
    });
  });

  it('moves the due times later by exactly the pause on a 24×7 calendar, and the timers with them', async () => {
    const id = await acceptedTicket();
    await performTicketAction(orm.em.fork(), agent, id, 'start', {}, seconds(10));
    await performTicketAction(orm.em.fork(), agent, id, 'request_info', {}, seconds(20));
    expect(await timers(id)).toEqual({});
    await addComment(orm.em.fork(), customer, { id, body: 'here you go', internal: false }, seconds(22));
    const resumed = await load(id);
    expect(resumed.status).toBe('IN_PROGRESS');
    expect(resumed.firstResponseDueAt).toEqual(seconds(62));
    expect(resumed.resolutionDueAt).toEqual(seconds(302));
    expect((await timers(id))['resolution:breach']).toBe(seconds(302).toISOString());
  });

  it('raises a breach at the due time, once, and audits it', async () => {
    const id = await acceptedTicket();
    const check = { ticketId: id, clock: 'first_response', kind: 'breach' } as const;
    expect(await checkSlaAlert(orm.em.fork(), check, seconds(59))).toBe('rescheduled');
    expect(await checkSlaAlert(orm.em.fork(), check, seconds(60))).toBe('raised');
    expect(await checkSlaAlert(orm.em.fork(), check, seconds(61))).toBe('nothing');
    expect((await load(id)).firstResponseBreached).toBe(true);
    expect(await auditActions(id)).toEqual(['sla.breached']);
  });

  it('warns once at the threshold', async () => {
    const id = await acceptedTicket();
    const warning = { ticketId: id, clock: 'resolution', kind: 'warning' } as const;
    expect(await checkSlaAlert(orm.em.fork(), warning, seconds(149))).toBe('rescheduled');
    expect(await checkSlaAlert(orm.em.fork(), warning, seconds(150))).toBe('raised');
    expect(await checkSlaAlert(orm.em.fork(), warning, seconds(151))).toBe('nothing');
    expect((await load(id)).resolutionWarnedAt).toEqual(seconds(150));
    expect(await auditActions(id)).toEqual(['sla.warned']);
  });

  it('meets first response with the first public staff reply, which cancels its timers', async () => {
    const id = await acceptedTicket();
    await addComment(orm.em.fork(), agent, { id, body: 'note', internal: true }, seconds(5));
    expect((await load(id)).firstRespondedAt).toBeNull();
    await addComment(orm.em.fork(), agent, { id, body: 'on it', internal: false }, seconds(6));
    expect((await load(id)).firstRespondedAt).toEqual(seconds(6));
    // The breach timer, should it still fire, finds the clock met.
    expect(
      await checkSlaAlert(
        orm.em.fork(),
        { ticketId: id, clock: 'first_response', kind: 'breach' },
        seconds(90),
      ),
    ).toBe('nothing');
  });

  it('lets the sweeper raise a breach whose timer was lost', async () => {
    const id = await acceptedTicket();
    expect(Object.keys(await timers(id))).toHaveLength(4);
    await orm.em
      .fork()
      .execute('delete from graphile_worker._private_jobs where key like ?', [`sla:${id}:%`]);
    const raised = await sweepSlaBreaches(orm.em.fork(), seconds(400));
    expect(raised).toBeGreaterThanOrEqual(2);
    const ticket = await load(id);
    expect([ticket.firstResponseBreached, ticket.resolutionBreached]).toEqual([true, true]);
  });

  it('explains the clock with a timeline of running and paused stretches', async () => {
    const id = await acceptedTicket();
    await performTicketAction(orm.em.fork(), agent, id, 'start', {}, seconds(10));
    await performTicketAction(orm.em.fork(), agent, id, 'request_info', {}, seconds(70));
    const timeline = await slaTimelineOf(orm.em.fork(), await load(id), seconds(130));
    expect(timeline?.segments.map((segment) => [segment.state, segment.to === null])).toEqual([
      ['running', false],
      ['paused', true],
    ]);
  });
});

describe('auto-close', () => {
  it('closes tickets resolved more than the configured days ago, as the system', async () => {
    const old = await acceptedTicket('HIGH');
    const recent = await acceptedTicket('HIGH');
    const resolve = (id: string, at: Date) =>
      performTicketAction(
        orm.em.fork(),
        agent,
        id,
        'resolve',
        { resolution: 'fixed', rootCause: 'cause' },
        at,
      );
    await resolve(old, new Date('2026-06-01T12:00:00Z'));
    await resolve(recent, new Date('2026-06-06T12:00:00Z'));
    const logger = createLogger({ name: 'test', level: 'silent' });
    const closed = await autoCloseResolvedTickets(orm.em.fork(), {
      afterDays: 7,
      logger,
      now: new Date('2026-06-09T03:30:00Z'),
    });
    expect(closed).toBe(1);
    expect((await load(old)).status).toBe('CLOSED');
    expect((await load(recent)).status).toBe('RESOLVED');
    const audit = await orm.em
      .fork()
      .execute<{ actor_id: string | null; action: string }[]>(
        'select actor_id, action from audit_log where entity_id = ? order by chain_seq desc limit 1',
        [old],
      );
    expect(audit[0]).toEqual({ actor_id: null, action: 'ticket.status_changed' });
  });
});
