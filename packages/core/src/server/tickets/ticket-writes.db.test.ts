import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.entity.ts';
import { loadConfig } from '../config.ts';
import { openOrm } from '../db/orm.ts';
import { Notification } from '../notifications/notification.entity.ts';
import { MANAGER_MAIL_TASK } from '../notifications/notification-outbox.ts';
import { callerFor, createTestOrganization, createTestUser } from '../testing/caller.ts';
import { Comment } from './comment.entity.ts';
import { Ticket } from './ticket.entity.ts';

// A new ticket, and a reply that moves nothing, are one statement each (tickets/ticket-writes.ts): the
// row, its mails and its audit row commit together or not at all. A reply is conditioned on the ticket's
// version: the races below hold a change of the ticket open in another connection while it is on its way.

const db = useTestDatabase();
let orm: MikroORM;
type Caller = Awaited<ReturnType<typeof callerFor>>;
let asCustomer: Caller;
let asManager: Caller;
let asManagerId: string;

beforeAll(async () => {
  orm = await openOrm(db.url);
  const em = orm.em.fork();
  const organization = await createTestOrganization(em);
  asCustomer = await callerFor(
    orm,
    await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: organization.id }),
  );
  const manager = await createTestUser(em, { role: 'MANAGER' });
  asManagerId = manager.id;
  asManager = await callerFor(orm, manager);
});
afterAll(async () => {
  await orm?.close(true);
});

/** Runs `sql` on the ticket in an open transaction of its own; `commit` ends it. */
async function changeInFlight(sql: string, ticketId: string) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('begin');
  await client.query(sql, [ticketId]);
  return {
    async commit() {
      await client.query('commit');
      await client.end();
    },
  };
}

/**
 * What a reply left behind on a ticket: comments, their audit rows, their mails (to the managers, on an
 * unassigned ticket: one manager mail, in the change's outbox row or, once enqueued, its job).
 */
async function writtenFor(ticketId: string) {
  const em = orm.em.fork();
  const comments = await em.find(Comment, { ticket: ticketId });
  const [managerMails] = await em.execute<{ count: number }[]>(
    `select (select count(*) from notification_outbox
              where manager_mail->>'ticketId' = ? and manager_mail->'facts'->>'kind' = 'customer_reply')
          + (select count(*) from graphile_worker._private_jobs as jobs
               join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id
              where tasks.identifier = ?
                and (jobs.payload::jsonb)->'managerMails' @> jsonb_build_array(jsonb_build_object(
                      'ticketId', ?::text, 'facts', jsonb_build_object('kind', 'customer_reply')))) as count`,
    [ticketId, MANAGER_MAIL_TASK, ticketId],
  );
  return {
    comments: comments.length,
    audit: await em.count(AuditLog, { action: 'comment.created', entityId: comments.map((c) => c.id) }),
    mails:
      (await em.count(Notification, { ticket: ticketId, kind: 'customer_reply' })) +
      Number(managerMails?.count ?? 0),
  };
}

const pause = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

describe('a reply racing a change of its ticket', () => {
  it('waits for the change, then refuses when the ticket was cancelled meanwhile, writing nothing', async () => {
    const ticket = await asCustomer.tickets.create({ title: 'Race', description: 'x', priority: 'LOW' });
    const cancel = await changeInFlight(
      `update tickets set status = 'CANCELLED', cancel_reason = 'duplicate', version = version + 1
        where id = $1`,
      ticket.id,
    );
    const reply = asCustomer.tickets.comment({ id: ticket.id, body: 'Any news?' });
    const outcome = reply.then(
      () => 'written',
      (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`,
    );
    await pause(300);
    await cancel.commit();

    // Refused by the workflow on the ticket as it is now, not for the race itself.
    expect(await outcome).toMatch(/^CONFLICT: cancelled tickets are read-only/);
    expect(await writtenFor(ticket.id)).toEqual({ comments: 0, audit: 0, mails: 0 });
  });

  it('is written once, after the change, when the change still allows it', async () => {
    const ticket = await asCustomer.tickets.create({ title: 'Race', description: 'x', priority: 'LOW' });
    const reprioritize = await changeInFlight(
      `update tickets set priority = 'HIGH', version = version + 1 where id = $1`,
      ticket.id,
    );
    const reply = asCustomer.tickets.comment({ id: ticket.id, body: 'It got worse' });
    await pause(300);
    await reprioritize.commit();

    expect(await reply).toMatchObject({ ticketId: ticket.id, body: 'It got worse', internal: false });
    // Unassigned: the reply goes to the managers, once.
    expect(await writtenFor(ticket.id)).toEqual({ comments: 1, audit: 1, mails: 1 });
    const detail = await asManager.internal.tickets.get({ id: ticket.id });
    expect(detail.comments.map((comment) => comment.body)).toEqual(['It got worse']);
  });
});

describe('a new ticket, whose statement takes its number', () => {
  /** The number and organization name in the receipt and in the managers' mail of `ticketId`. */
  async function mailFacts(ticketId: string) {
    const em = orm.em.fork();
    const [row] = await em.execute<
      { stored: string; receipt: string | null; managers: string | null; organization: string | null }[]
    >(
      `select t.number::text as stored,
              (select n.facts->'ticket'->>'number' from notifications n
                where n.ticket_id = t.id and n.kind = 'ticket_received') as receipt,
              (select o.manager_mail->'facts'->'ticket'->>'number' from notification_outbox o
                where o.manager_mail->>'ticketId' = t.id::text) as managers,
              (select o.manager_mail->'facts'->>'organizationName' from notification_outbox o
                where o.manager_mail->>'ticketId' = t.id::text) as organization
         from tickets t where t.id = ?`,
      [ticketId],
    );
    return row;
  }

  it("writes it into the receipt and the managers' mail, with the organization's name", async () => {
    const em = orm.em.fork();
    const organization = await createTestOrganization(em, 'Numbered & Co');
    const customer = await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: organization.id });
    const own = await (await callerFor(orm, customer)).tickets.create({
      title: 'Own',
      description: 'x',
      priority: 'LOW',
    });
    const filed = await asManager.tickets.create({
      title: 'Filed',
      description: 'x',
      priority: 'LOW',
      requesterId: customer.id,
    });
    expect(filed.number).toBe(own.number + 1);
    expect(await mailFacts(own.id)).toEqual({
      stored: String(own.number),
      receipt: String(own.number),
      managers: String(own.number),
      organization: 'Numbered & Co',
    });
    // Filed by a manager: the receipt still goes to the customer; the managers' mail leaves out its author.
    expect(await mailFacts(filed.id)).toMatchObject({
      stored: String(filed.number),
      receipt: String(filed.number),
      managers: String(filed.number),
      organization: 'Numbered & Co',
    });
  });
});

describe('a write that fails part way', () => {
  it('leaves neither ticket nor audit row when its mails cannot be written', async () => {
    const em = orm.em.fork();
    const title = `Atomic ${Date.now()}`;
    await em.execute(`create function refuse_mail() returns trigger language plpgsql as $$
      begin raise exception 'mail table refuses rows'; end $$`);
    await em.execute(
      'create trigger refuse_mail before insert on notifications for each row execute function refuse_mail()',
    );
    try {
      await expect(
        asCustomer.tickets.create({ title, description: 'x', priority: 'LOW' }),
      ).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    } finally {
      await em.execute('drop trigger refuse_mail on notifications');
      await em.execute('drop function refuse_mail()');
    }
    expect(await em.count(Ticket, { title })).toBe(0);
    expect(await em.count(AuditLog, { action: 'ticket.created', newValue: { title } })).toBe(0);

    const ticket = await asCustomer.tickets.create({ title, description: 'x', priority: 'LOW' });
    expect(await em.count(AuditLog, { action: 'ticket.created', entityId: ticket.id })).toBe(1);
  });
});

describe('a new ticket and the hourly limit', () => {
  // The limit's hit, the requester and the ticket's number are one statement (ticket.service.ts).
  it('refuses the ticket over the limit, writing nothing and taking no number', async () => {
    const em = orm.em.fork();
    const organization = await createTestOrganization(em);
    const limited = await callerFor(
      orm,
      await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: organization.id }),
      loadConfig({ RATE_LIMIT_API_PER_MINUTE: '0', RATE_LIMIT_TICKETS_PER_HOUR: '2' }),
    );
    const title = `Limited ${Date.now()}`;
    const first = await limited.tickets.create({ title, description: 'x', priority: 'LOW' });
    const second = await limited.tickets.create({ title, description: 'x', priority: 'LOW' });
    expect(second.number).toBe(first.number + 1);
    await expect(limited.tickets.create({ title, description: 'x', priority: 'LOW' })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    expect(await em.count(Ticket, { title })).toBe(2);
    expect(await em.count(AuditLog, { action: 'ticket.created', newValue: { title } })).toBe(2);
    // The refused ticket took no number: the next one anyone files follows the second.
    const next = await asCustomer.tickets.create({ title: 'After', description: 'x', priority: 'LOW' });
    expect(next.number).toBe(second.number + 1);
  });

  it('refuses a ticket for an inactive customer, with the hit counted and no number taken', async () => {
    const em = orm.em.fork();
    const organization = await createTestOrganization(em);
    const inactive = await createTestUser(em, {
      role: 'CUSTOMER_USER',
      organizationId: organization.id,
      isActive: false,
    });
    const before = await asCustomer.tickets.create({ title: 'Before', description: 'x', priority: 'LOW' });
    await expect(
      asManager.tickets.create({ title: 'x', description: 'x', priority: 'LOW', requesterId: inactive.id }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const [counter] = await em.execute<{ points: number }[]>(
      'select points from rate_limit_counters where key = ?',
      [`tickets:user:${asManagerId}`],
    );
    expect(counter?.points).toBeGreaterThanOrEqual(1);
    const after = await asCustomer.tickets.create({ title: 'After', description: 'x', priority: 'LOW' });
    expect(after.number).toBe(before.number + 1);
  });
});
