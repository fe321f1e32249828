import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../auth/scope.ts';
import { openOrm } from '../db/orm.ts';
import { createTestOrganization, createTestUser } from '../testing/caller.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { changeTicketPriority, createTicket, performTicketAction } from '../tickets/ticket.service.ts';
import type { User } from '../users/user.entity.ts';
import { checkSlaAlert, sweepSlaBreaches } from './sla-alerts.service.ts';
import { SlaPolicy } from './sla-policy.entity.ts';
import { enqueueCommittedSlaTimers, enqueueStrandedSlaTimers, writeSlaTimers } from './sla-timer-outbox.ts';

// SLA timer jobs are set after the commit of the change that moves them, never inside its transaction
// (add_job's NOTIFY would serialize commits): what a change leaves before and after its commit, a
// rollback, a process that dies between the commit and the enqueue, and claims that race.

const db = useTestDatabase();
let orm: MikroORM;
/** The SQL statements the ORM's connection runs, and whether each ran inside a transaction. */
const statements: { sql: string; inTransaction: boolean }[] = [];
let customer: Scope;
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

const T0 = new Date('2026-06-01T10:00:00Z');
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);
/** The four timers of an URGENT ticket accepted at T0 under the test policy. */
const ACCEPTED_AT_T0 = {
  'first_response:warning': seconds(30).toISOString(),
  'first_response:breach': seconds(60).toISOString(),
  'resolution:warning': seconds(150).toISOString(),
  'resolution:breach': seconds(300).toISOString(),
};

async function newTicket(): Promise<string> {
  const ticket = await createTicket(
    orm.em.fork(),
    customer,
    { title: 'Timers', description: 'x', priority: 'URGENT' },
    { ticketsPerHour: 0 },
    T0,
  );
  return ticket.id;
}

interface TimerJob {
  runAt: string;
  revision: number;
}

/** The ticket's timer jobs by clock and alert. */
async function jobs(ticketId: string): Promise<Record<string, TimerJob>> {
  const rows = await orm.em.fork().execute<{ key: string; run_at: Date; revision: number }[]>(
    `select key, run_at, revision from graphile_worker._private_jobs
      where key like ? and attempts < max_attempts`,
    [`sla:${ticketId}:%`],
  );
  return Object.fromEntries(
    rows.map((row) => [
      row.key.replace(`sla:${ticketId}:`, ''),
      { runAt: new Date(row.run_at).toISOString(), revision: row.revision },
    ]),
  );
}

async function jobTimes(ticketId: string): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries(await jobs(ticketId)).map(([key, job]) => [key, job.runAt]));
}

/** The number of the ticket's timer rows still waiting for their job. */
async function waiting(ticketId: string): Promise<number> {
  const [row] = await orm.em
    .fork()
    .execute<{ count: number }[]>(
      'select count(*)::int as count from sla_timers where ticket_id = ? and enqueued_at is null',
      [ticketId],
    );
  return row?.count ?? 0;
}

/** Polls until `probe` holds: the jobs are set after the commit, by the process, in the background. */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 20));
  }
}

async function acceptedTicket(): Promise<string> {
  const id = await newTicket();
  await performTicketAction(orm.em.fork(), manager, id, 'accept', {}, T0);
  await until('the timer jobs', async () => (await waiting(id)) === 0);
  return id;
}

beforeAll(async () => {
  orm = await openOrm(db.url);
  // Every statement passes the connection, with the transaction it runs in (if any) as `ctx`; the
  // after-commit queue runs its statements on the same connection object, outside any transaction.
  const connection = orm.em.getConnection();
  const execute = connection.execute.bind(connection);
  connection.execute = ((...args: Parameters<typeof execute>) => {
    statements.push({ sql: String(args[0]), inTransaction: args[3] != null });
    return execute(...args);
  }) as typeof connection.execute;
  const em = orm.em.fork();
  const organization = await createTestOrganization(em);
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
  customer = scopeOf(await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: organization.id }));
  manager = scopeOf(await createTestUser(em, { role: 'MANAGER' }));
  agent = scopeOf(await createTestUser(em, { role: 'AGENT' }));
});
afterAll(async () => {
  await orm?.close();
});

describe('SLA timer jobs', () => {
  it('are set after the commit of an accept, with no add_job or NOTIFY inside its transaction', async () => {
    const id = await newTicket();
    // Let the ticket creation's own after-commit work (mail, live updates) finish first.
    await new Promise((wake) => setTimeout(wake, 100));
    statements.length = 0;
    await orm.em.fork().transactional(async (tx) => {
      await performTicketAction(tx, manager, id, 'accept', {}, T0);
      // Inside the transaction: the wanted timers are rows, no job exists yet.
      const [rows] = await tx.execute<{ count: number }[]>(
        'select count(*)::int as count from sla_timers where ticket_id = ? and enqueued_at is null',
        [id],
      );
      expect(rows?.count).toBe(4);
      const [pending] = await tx.execute<{ count: number }[]>(
        'select count(*)::int as count from graphile_worker._private_jobs where key like ?',
        [`sla:${id}:%`],
      );
      expect(pending?.count).toBe(0);
    });
    const inside = statements.filter((statement) => statement.inTransaction).map(({ sql }) => sql);
    expect(inside.some((sql) => /insert into sla_timers/i.test(sql))).toBe(true);
    expect(inside.filter((sql) => /add_jobs?\b|remove_job|pg_notify|\bnotify\b/i.test(sql))).toEqual([]);

    // No sweep runs here: the jobs that appear were added after the commit, by its claim (a statement
    // on the pool, outside the ORM's query log).
    await until('the timer jobs', async () => Object.keys(await jobs(id)).length === 4);
    expect(await jobTimes(id)).toEqual(ACCEPTED_AT_T0);
  });

  it('are neither written nor set when the change rolls back', async () => {
    const id = await newTicket();
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await performTicketAction(tx, manager, id, 'accept', {}, T0);
        throw new Error('the change fails after its timers were planned');
      }),
    ).rejects.toThrow('the change fails');
    // Give the after-commit queue its chance to (wrongly) set jobs, and the sweep too.
    await new Promise((wake) => setTimeout(wake, 300));
    expect(await enqueueStrandedSlaTimers(orm.em.fork(), { olderThanMs: 0 })).toBe(0);
    expect(await jobs(id)).toEqual({});
    const [rows] = await orm.em
      .fork()
      .execute<{ count: number }[]>('select count(*)::int as count from sla_timers where ticket_id = ?', [
        id,
      ]);
    expect(rows?.count).toBe(0);
  });

  it('move with a change and disappear when the clocks stop', async () => {
    const id = await acceptedTicket();
    await changeTicketPriority(orm.em.fork(), manager, { id, priority: 'HIGH' }, seconds(5));
    await until('the moved timers', async () => (await waiting(id)) === 0);
    const moved = await jobTimes(id);
    expect(Object.keys(moved)).toHaveLength(4);
    expect(moved['resolution:breach']).not.toBe(ACCEPTED_AT_T0['resolution:breach']);
    await performTicketAction(
      orm.em.fork(),
      manager,
      id,
      'assign',
      { assigneeId: agent.actorId },
      seconds(6),
    );
    await performTicketAction(orm.em.fork(), agent, id, 'request_info', {}, seconds(7));
    await until('the removed timers', async () => (await waiting(id)) === 0);
    expect(await jobs(id)).toEqual({});
    const [rows] = await orm.em
      .fork()
      .execute<{ count: number }[]>('select count(*)::int as count from sla_timers where ticket_id = ?', [
        id,
      ]);
    expect(rows?.count).toBe(0);
  });

  it('are set by the sweep, warnings included, when the process died between the commit and the enqueue', async () => {
    const id = await acceptedTicket();
    // What a process that died right after the accept's commit leaves: the rows, unclaimed, no jobs.
    await orm.em
      .fork()
      .execute('delete from graphile_worker._private_jobs where key like ?', [`sla:${id}:%`]);
    await orm.em.fork().execute('update sla_timers set enqueued_at = null where ticket_id = ?', [id]);

    // Too young: the process that wrote them may be enqueueing them right now.
    expect(await enqueueStrandedSlaTimers(orm.em.fork())).toBe(0);
    expect(await enqueueStrandedSlaTimers(orm.em.fork(), { olderThanMs: 0 })).toBeGreaterThanOrEqual(4);
    expect(await waiting(id)).toBe(0);
    expect(await jobTimes(id)).toEqual(ACCEPTED_AT_T0);

    // The jobs then do what they would have: the warning goes out, and the breach is flagged (by its
    // timer, or else by the breach sweeper, which alone covers breaches but not warnings).
    const warning = { ticketId: id, clock: 'first_response', kind: 'warning' } as const;
    expect(await checkSlaAlert(orm.em.fork(), warning, seconds(30))).toBe('raised');
    expect(await sweepSlaBreaches(orm.em.fork(), seconds(61))).toBeGreaterThanOrEqual(1);
    const ticket = await orm.em.fork().findOneOrFail(Ticket, id);
    expect(ticket.firstResponseWarnedAt).toEqual(seconds(30));
    expect(ticket.firstResponseBreached).toBe(true);
  });

  it('are set again by a timer that fired before its moved time', async () => {
    const id = await acceptedTicket();
    const breach = { ticketId: id, clock: 'resolution', kind: 'breach' } as const;
    // The job fired (and is gone) while the row already says its time.
    await orm.em
      .fork()
      .execute('delete from graphile_worker._private_jobs where key = ?', [`sla:${id}:resolution:breach`]);
    expect(await checkSlaAlert(orm.em.fork(), breach, seconds(200))).toBe('rescheduled');
    await until('the timer set again', async () => (await waiting(id)) === 0);
    expect((await jobTimes(id))['resolution:breach']).toBe(seconds(300).toISOString());
  });

  it('get the latest committed time, once, whichever claim comes first', async () => {
    const id = await acceptedTicket();
    /** A change's timers as it writes them, with the claim after its commit left to the test. */
    const written = async (at: Date): Promise<string> =>
      orm.em.fork().transactional(async (tx) => {
        const { xid, changed } = await writeSlaTimers(tx, id, [
          { clock: 'resolution', kind: 'warning', runAt: at },
        ]);
        expect(changed).toBe(1);
        return xid ?? '';
      });
    const older = await written(seconds(170));
    const newer = await written(seconds(180));
    const connection = orm.em.getConnection();
    // The older change's claim comes first, or races the sweep: the job gets the newer time, once.
    const results = await Promise.all([
      enqueueCommittedSlaTimers(connection, [{ xid: older, item: id }]),
      enqueueStrandedSlaTimers(orm.em.fork(), { olderThanMs: 0 }),
      enqueueCommittedSlaTimers(connection, [{ xid: newer, item: id }]),
    ]);
    expect(results[0].get(older)).toBe('committed');
    expect(results[2].get(newer)).toBe('committed');
    expect(await waiting(id)).toBe(0);
    const job = (await jobs(id))['resolution:warning'];
    expect(job?.runAt).toBe(seconds(180).toISOString());
    // The accept set it (revision 0), this claim moved it once (revision 1).
    expect(job?.revision).toBe(1);
  });
});
