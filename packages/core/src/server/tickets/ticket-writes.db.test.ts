import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommentRuleFacts, commentRuleKey } from '../../domain/tickets/ticket-workflow.ts';
import { AuditLog } from '../audit/audit-log.entity.ts';
import type { Scope } from '../auth/scope.ts';
import { loadConfig } from '../config.ts';
import { openOrm } from '../db/orm.ts';
import { commentRuleKeyOf } from '../db/scoped.ts';
import { Notification } from '../notifications/notification.entity.ts';
import { MANAGER_MAIL_TASK } from '../notifications/notification-outbox.ts';
import { relayNotificationOutbox } from '../notifications/outbox-mail.ts';
import { callerFor, createTestOrganization, createTestUser } from '../testing/caller.ts';
import { Comment } from './comment.entity.ts';
import { Ticket } from './ticket.entity.ts';

// A new ticket, and a reply that moves nothing, are one statement each (tickets/ticket-writes.ts): the
// row, its mails (a reply's as an event the jobs worker plans) and its audit row commit together or not at
// all. A reply is conditioned on the comment rules as data: the races below hold a change of the ticket
// open in another connection while it is on its way, and the rules are asked again on the new row.

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
  // A reply's mail is planned by the jobs worker's outbox step.
  await relayNotificationOutbox(em);
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

describe('a reply that changes nothing', () => {
  /** A new customer's ticket, accepted by the manager and assigned to a new agent. */
  async function assignedTicket() {
    const em = orm.em.fork();
    const organization = await createTestOrganization(em);
    const customer = await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: organization.id });
    const asRequester = await callerFor(orm, customer);
    const agent = await createTestUser(em, { role: 'AGENT', name: 'Ada Agent' });
    const ticket = await asRequester.tickets.create({ title: 'Quiet', description: 'x', priority: 'LOW' });
    await asManager.internal.tickets.accept({ id: ticket.id });
    await asManager.internal.tickets.assign({ id: ticket.id, assigneeId: agent.id });
    return { agent, ticket, customer, asRequester };
  }

  async function eventsOf(ticketId: string) {
    return orm.em.fork().execute<{ mail_event: Record<string, unknown>; notification_ids: string[] }[]>(
      `select mail_event, notification_ids from notification_outbox
          where mail_event->>'type' = 'commented' and mail_event->'ticket'->>'id' = ?`,
      [ticketId],
    );
  }

  it('records its mail event with the ticket as its statement saw it, and the worker plans it once', async () => {
    const { agent, ticket, asRequester } = await assignedTicket();
    const reply = await asRequester.tickets.comment({ id: ticket.id, body: 'Still broken' });
    const em = orm.em.fork();
    // Nothing mailed by the request: the event waits in the outbox.
    expect(await em.count(Notification, { ticket: ticket.id, kind: 'customer_reply' })).toBe(0);
    const [event, ...more] = await eventsOf(ticket.id);
    expect(more).toEqual([]);
    expect(event?.notification_ids).toEqual([]);
    expect(event?.mail_event).toMatchObject({
      type: 'commented',
      key: `comment:${reply.id}`,
      ticket: { id: ticket.id, number: ticket.number, title: 'Quiet', status: 'ASSIGNED', priority: 'LOW' },
      assigneeId: agent.id,
      internal: false,
      byCustomer: true,
      body: 'Still broken',
    });
    expect(await em.count(AuditLog, { action: 'comment.created', entityId: reply.id })).toBe(1);

    // Workers racing for the row: one of them writes the mail, with its send job.
    await Promise.all(Array.from({ length: 3 }, () => relayNotificationOutbox(orm.em.fork())));
    const mails = await em.find(Notification, { ticket: ticket.id, kind: 'customer_reply' });
    expect(mails.map((mail) => [mail.toAddress, mail.eventKey])).toEqual([
      [agent.email, `comment:${reply.id}`],
    ]);
    expect(mails[0]?.facts).toMatchObject({ recipientName: 'Ada Agent', body: 'Still broken' });
    const [jobs] = await em.execute<{ count: number }[]>(
      `select count(*)::int as count from graphile_worker._private_jobs
        where payload::jsonb->'notificationIds' @> jsonb_build_array(?::text)`,
      [mails[0]?.id ?? ''],
    );
    expect(jobs?.count).toBe(1);
    expect(await eventsOf(ticket.id)).toEqual([]);
  });

  it('keeps its event in the outbox while the mail cannot be written, and loses nothing', async () => {
    const { agent, ticket, asRequester } = await assignedTicket();
    await relayNotificationOutbox(orm.em.fork());
    await asRequester.tickets.comment({ id: ticket.id, body: 'Hello?' });
    const em = orm.em.fork();
    await em.execute(`create function refuse_mail() returns trigger language plpgsql as $$
      begin raise exception 'mail table refuses rows'; end $$`);
    await em.execute(
      'create trigger refuse_mail before insert on notifications for each row execute function refuse_mail()',
    );
    try {
      await expect(relayNotificationOutbox(orm.em.fork())).rejects.toThrow(/mail table refuses rows/);
    } finally {
      await em.execute('drop trigger refuse_mail on notifications');
      await em.execute('drop function refuse_mail()');
    }
    expect(await eventsOf(ticket.id)).toHaveLength(1);
    await relayNotificationOutbox(orm.em.fork());
    expect(await eventsOf(ticket.id)).toEqual([]);
    const mails = await em.find(Notification, { ticket: ticket.id, kind: 'customer_reply' });
    expect(mails.map((mail) => mail.toAddress)).toEqual([agent.email]);
  });

  it('leaves an event this version cannot read in the outbox, and sends the rest', async () => {
    const { agent, ticket, asRequester } = await assignedTicket();
    await relayNotificationOutbox(orm.em.fork());
    const em = orm.em.fork();
    const strange = randomUUID();
    await em.execute(
      `insert into notification_outbox (id, notification_ids, mail_event, created_at)
       values (?, '{}', '{"type": "escalated"}', now() - interval '1 minute')`,
      [strange],
    );
    try {
      await asRequester.tickets.comment({ id: ticket.id, body: 'Anyone?' });
      await expect(relayNotificationOutbox(orm.em.fork())).rejects.toThrow(
        `1 outbox row(s) record a mail event this version cannot read (first: ${strange}`,
      );
      const mails = await em.find(Notification, { ticket: ticket.id, kind: 'customer_reply' });
      expect(mails.map((mail) => mail.toAddress)).toEqual([agent.email]);
      const [left] = await em.execute<{ count: number }[]>(
        'select count(*)::int as count from notification_outbox where id = ?',
        [strange],
      );
      expect(left?.count).toBe(1);
    } finally {
      await em.execute('delete from notification_outbox where id = ?', [strange]);
    }
  });

  it('takes the event of a ticket gone since, mailing nobody', async () => {
    const em = orm.em.fork();
    const organization = await createTestOrganization(em);
    const customer = await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: organization.id });
    const ticket = await (await callerFor(orm, customer)).tickets.create({
      title: 'Gone',
      description: 'x',
      priority: 'LOW',
    });
    await em.execute('delete from tickets where id = ?', [ticket.id]);
    await relayNotificationOutbox(orm.em.fork());
    const [left] = await em.execute<{ count: number }[]>(
      `select count(*)::int as count from notification_outbox where mail_event->'ticket'->>'id' = ?`,
      [ticket.id],
    );
    expect(left?.count).toBe(0);
    expect(await em.count(Notification, { ticket: ticket.id })).toBe(0);
  });

  it('leaves replies that move the ticket, and refused ones, to the entity path', async () => {
    const { agent, ticket, asRequester } = await assignedTicket();
    const asAgent = await callerFor(orm, agent);
    // First response: the agent's public reply stamps it, in a transaction, with its mail written there.
    await asAgent.internal.tickets.comment({ id: ticket.id, body: 'Looking', internal: false });
    await asAgent.internal.tickets.status({ id: ticket.id, status: 'WAITING_CUSTOMER' });
    // The customer's answer resumes the ticket.
    await asRequester.tickets.comment({ id: ticket.id, body: 'Here you go' });
    const em = orm.em.fork();
    const stored = await em.findOneOrFail(Ticket, ticket.id);
    expect(stored.status).toBe('IN_PROGRESS');
    expect(stored.firstRespondedAt).toBeInstanceOf(Date);
    expect(await eventsOf(ticket.id)).toEqual([]);
    expect(await em.count(Notification, { ticket: ticket.id, kind: 'customer_reply' })).toBe(1);
    // Someone else's ticket, and an internal note by a customer: the rules' answers, nothing written.
    const stranger = await callerFor(orm, await createTestUser(em, { role: 'AGENT' }));
    await expect(
      stranger.internal.tickets.comment({ id: ticket.id, body: 'x', internal: true }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await em.count(Comment, { ticket: ticket.id })).toBe(2);
  });

  it("builds the same rule key in the statement as the domain does from the ticket's facts", async () => {
    const { agent, ticket, customer, asRequester } = await assignedTicket();
    const em = orm.em.fork();
    const other = await createTestUser(em, { role: 'AGENT' });
    const customerId = customer.id;
    const unaccepted = await asRequester.tickets.create({ title: 'New', description: 'x', priority: 'LOW' });
    const cases: { scope: Scope; id: string; facts: CommentRuleFacts }[] = [
      {
        scope: {
          actorId: customerId,
          role: 'CUSTOMER_USER',
          organizationId: null,
          ip: null,
          userAgent: null,
        },
        id: unaccepted.id,
        facts: { status: 'NEW', holder: 'nobody', filedByCaller: true, firstResponseDue: false },
      },
      {
        scope: { actorId: agent.id, role: 'AGENT', organizationId: null, ip: null, userAgent: null },
        id: ticket.id,
        facts: { status: 'ASSIGNED', holder: 'caller', filedByCaller: false, firstResponseDue: true },
      },
      {
        scope: { actorId: other.id, role: 'AGENT', organizationId: null, ip: null, userAgent: null },
        id: ticket.id,
        facts: { status: 'ASSIGNED', holder: 'other', filedByCaller: false, firstResponseDue: true },
      },
    ];
    for (const { scope, id, facts } of cases) {
      expect(await commentRuleKeyOf(em, scope, id)).toBe(commentRuleKey(facts));
    }
  });
});

describe('a new ticket, whose statement takes its number', () => {
  /**
   * The number and organization name in the receipt and in the managers' mail of `ticketId`, once the
   * jobs worker's relay has planned them.
   */
  async function mailFacts(ticketId: string) {
    const em = orm.em.fork();
    await relayNotificationOutbox(em);
    const [row] = await em.execute<
      { stored: string; receipt: string | null; managers: string | null; organization: string | null }[]
    >(
      `select t.number::text as stored,
              (select n.facts->'ticket'->>'number' from notifications n
                where n.ticket_id = t.id and n.kind = 'ticket_received') as receipt,
              m.mail->'facts'->'ticket'->>'number' as managers,
              m.mail->'facts'->>'organizationName' as organization
         from tickets t
         left join lateral (
           select mail from graphile_worker._private_jobs as jobs,
                  jsonb_array_elements(jobs.payload::jsonb->'managerMails') as mail
            where mail->>'ticketId' = t.id::text) as m on true
        where t.id = ?`,
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
  it('leaves neither ticket nor audit row when its mail cannot be recorded', async () => {
    const em = orm.em.fork();
    const title = `Atomic ${Date.now()}`;
    await em.execute(`create function refuse_mail() returns trigger language plpgsql as $$
      begin raise exception 'mail table refuses rows'; end $$`);
    await em.execute(
      'create trigger refuse_mail before insert on notification_outbox for each row execute function refuse_mail()',
    );
    try {
      await expect(
        asCustomer.tickets.create({ title, description: 'x', priority: 'LOW' }),
      ).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    } finally {
      await em.execute('drop trigger refuse_mail on notification_outbox');
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
