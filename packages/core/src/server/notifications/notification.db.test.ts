import { Writable } from 'node:stream';
import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_SCOPE } from '../auth/scope.ts';
import { openOrm } from '../db/orm.ts';
import { findVisibleTicket } from '../db/scoped.ts';
import { callerFor, createTestOrganization, createTestUser, TEST_CONFIG } from '../testing/caller.ts';
import { createTicket } from '../tickets/ticket.service.ts';
import type { User } from '../users/user.entity.ts';
import { writeManagerMail, ZManagerMail, ZNotifyManagersPayload } from './manager-mail.ts';
import { Notification } from './notification.entity.ts';
import { deliverNotification } from './notification.service.ts';
import { enqueueSlaMail, insertNotifications } from './notification-events.ts';
import { MAIL_MAX_ATTEMPTS, MANAGER_MAIL_TASK, SEND_NOTIFICATIONS_TASK } from './notification-outbox.ts';
import type { MailPlan, PlannedMail } from './notification-plan.ts';
import { relayNotificationOutbox } from './outbox-mail.ts';

// Which events write which notifications, in the transaction of the change, how their jobs are added
// after it commits, and how the outbox renders them when no SMTP server is configured. Sending over SMTP
// is tested in apps/jobs.

const db = useTestDatabase();
let orm: MikroORM;
let customer: User;
let organizationId: string;
let manager: User;
let admin: User;
let agent: User;
type Caller = Awaited<ReturnType<typeof callerFor>>;
let asCustomer: Caller;
let asManager: Caller;
let asAgent: Caller;
let asAdmin: Caller;

const INTERNAL_NOTE = 'INTERNAL: the customer is on the watch list, do not refund';

/** Log lines written by the outbox, as parsed JSON. */
const logLines: Record<string, unknown>[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  }),
);

beforeAll(async () => {
  orm = await openOrm(db.url);
  const em = orm.em.fork();
  const organization = await createTestOrganization(em, 'Acme');
  organizationId = organization.id;
  customer = await createTestUser(em, {
    role: 'CUSTOMER_USER',
    organizationId: organization.id,
    name: 'Alice',
  });
  manager = await createTestUser(em, { role: 'MANAGER', name: 'Maria Manager' });
  admin = await createTestUser(em, { role: 'ADMIN', name: 'Ada Admin' });
  agent = await createTestUser(em, { role: 'AGENT', name: 'Aldo Agent' });
  await createTestUser(em, { role: 'MANAGER', name: 'Gone Manager', isActive: false });
  asCustomer = await callerFor(orm, customer);
  asManager = await callerFor(orm, manager);
  asAgent = await callerFor(orm, agent);
  asAdmin = await callerFor(orm, admin);
});
afterAll(async () => {
  await orm?.close();
});

/** `kind → recipient email` of a ticket's notifications, in order of creation. */
async function mailsOf(ticketId: string): Promise<string[]> {
  const rows = await orm.em.fork().find(Notification, { ticket: ticketId }, { orderBy: { id: 'asc' } });
  return rows.map((row) => `${row.kind} → ${row.toAddress}`);
}

async function jobsOf<Payload>(
  task: string,
): Promise<{ id: string; payload: Payload; max_attempts: number }[]> {
  return orm.em.fork().execute(
    `select jobs.id, jobs.payload, jobs.max_attempts
       from graphile_worker._private_jobs as jobs
       join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id
       where tasks.identifier = ? order by jobs.id`,
    [task],
  );
}

const mailJobs = () => jobsOf<{ notificationIds: string[] }>(SEND_NOTIFICATIONS_TASK);

async function outboxCount(): Promise<number> {
  const [row] = await orm.em
    .fork()
    .execute<{ count: number }[]>('select count(*)::int as count from notification_outbox');
  return row?.count ?? -1;
}

const managerJobsRun = new Set<string>();

/**
 * Relays the outbox, then runs the manager-mail jobs added so far, each once, as the jobs worker would
 * (apps/jobs does both). Returns the notifications they wrote.
 */
async function writeOutManagerMails(): Promise<number> {
  await relayNotificationOutbox(orm.em.fork());
  expect(await outboxCount()).toBe(0);
  let written = 0;
  for (const job of await jobsOf<unknown>(MANAGER_MAIL_TASK)) {
    if (managerJobsRun.has(job.id)) continue;
    managerJobsRun.add(job.id);
    expect(job.max_attempts).toBe(MAIL_MAX_ATTEMPTS);
    for (const mail of ZNotifyManagersPayload.parse(job.payload).managerMails)
      written += await writeManagerMail(orm.em.fork(), mail);
  }
  return written;
}

/** The outbox rows that name any of `ids` (rows whose send jobs are still to be added). */
async function outboxNaming(ids: string[]): Promise<number> {
  const [row] = await orm.em
    .fork()
    .execute<{ count: number }[]>(
      'select count(*)::int as count from notification_outbox where notification_ids && ?::uuid[]',
      [`{${ids.join(',')}}`],
    );
  return row?.count ?? -1;
}

/** The number of send jobs of each of `ids`. */
async function jobCounts(ids: string[]): Promise<Map<string, number>> {
  const counts = new Map(ids.map((id) => [id, 0]));
  for (const job of await mailJobs()) {
    for (const id of job.payload.notificationIds) {
      if (counts.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

async function deliverAllToOutbox(ticketId: string): Promise<Notification[]> {
  const em = orm.em.fork();
  const rows = await em.find(Notification, { ticket: ticketId }, { orderBy: { id: 'asc' } });
  for (const row of rows) {
    expect(
      await deliverNotification(orm.em.fork(), row.id, {
        config: TEST_CONFIG,
        send: null,
        logger,
        lastAttempt: false,
      }),
    ).toBe('outbox');
  }
  return orm.em.fork().find(Notification, { ticket: ticketId }, { orderBy: { id: 'asc' } });
}

describe('a new ticket', () => {
  it('writes a receipt for the requester and news for each active manager and admin, each with its job', async () => {
    const jobsBefore = (await mailJobs()).length;
    const ticket = await asCustomer.tickets.create({
      title: 'Printer',
      description: 'It jams',
      priority: 'HIGH',
    });
    // The change records its mail event; the worker's relay writes the receipt and one job for the
    // managers' mail, which writes theirs.
    expect(await mailsOf(ticket.id)).toEqual([]);
    await relayNotificationOutbox(orm.em.fork());
    expect(await mailsOf(ticket.id)).toEqual([`ticket_received → ${customer.email}`]);
    expect(await writeOutManagerMails()).toBe(2);
    expect(await writeOutManagerMails()).toBe(0);
    expect((await mailsOf(ticket.id)).sort()).toEqual(
      [
        `ticket_created → ${admin.email}`,
        `ticket_created → ${manager.email}`,
        `ticket_received → ${customer.email}`,
      ].sort(),
    );
    const jobs = (await mailJobs()).slice(jobsBefore);
    const rows = await orm.em.fork().find(Notification, { ticket: ticket.id });
    // One send job for the receipt, one for the managers' two mails.
    expect(jobs).toHaveLength(2);
    expect(jobs.flatMap((job) => job.payload.notificationIds).sort()).toEqual(
      rows.map((row) => row.id).sort(),
    );
    expect(jobs.every((job) => job.max_attempts === MAIL_MAX_ATTEMPTS)).toBe(true);
    expect(rows.every((row) => row.status === 'pending' && row.messageId === null)).toBe(true);
    expect(await outboxNaming(rows.map((row) => row.id))).toBe(0);
  });

  it('a refused change writes nothing: the second acceptance of a ticket mails nobody', async () => {
    const ticket = await asCustomer.tickets.create({ title: 'Twice', description: 'x', priority: 'LOW' });
    await asManager.internal.tickets.accept({ id: ticket.id });
    const before = await mailsOf(ticket.id);
    await expect(asAdmin.internal.tickets.accept({ id: ticket.id })).rejects.toBeInstanceOf(TRPCError);
    expect(await mailsOf(ticket.id)).toEqual(before);
  });
});

describe('the first-ticket walkthrough', () => {
  let ticketId: string;

  it('mails the expected people at each step', async () => {
    const ticket = await asCustomer.tickets.create({
      title: 'VPN <down> & "out"',
      description: 'Cannot connect since this morning',
      priority: 'URGENT',
    });
    ticketId = ticket.id;
    await writeOutManagerMails();
    await asManager.internal.tickets.accept({ id: ticketId });
    await asManager.internal.tickets.assign({ id: ticketId, assigneeId: agent.id });
    await asManager.internal.tickets.comment({ id: ticketId, body: INTERNAL_NOTE, internal: true });
    // A note that changes nothing records its mail for the jobs worker, which plans it within moments.
    await relayNotificationOutbox(orm.em.fork());
    await asAgent.internal.tickets.comment({
      id: ticketId,
      body: 'Which client version do you use?',
      internal: false,
    });
    await asAgent.internal.tickets.status({ id: ticketId, status: 'WAITING_CUSTOMER' });
    await asCustomer.tickets.comment({ id: ticketId, body: 'Version 5.2' });
    await asAgent.internal.tickets.status({
      id: ticketId,
      status: 'RESOLVED',
      resolution: 'Updated the VPN client to 5.3.',
      rootCause: 'Expired certificate in 5.2',
    });
    const mails = await mailsOf(ticketId);
    expect(mails.slice(0, 3).sort()).toEqual(
      [
        `ticket_received → ${customer.email}`,
        `ticket_created → ${manager.email}`,
        `ticket_created → ${admin.email}`,
      ].sort(),
    );
    expect(mails.slice(3)).toEqual([
      `ticket_accepted → ${customer.email}`,
      `ticket_assigned → ${agent.email}`,
      `internal_note → ${agent.email}`,
      `public_reply → ${customer.email}`,
      `ticket_status_changed → ${customer.email}`,
      `customer_reply → ${agent.email}`,
      `ticket_resolved → ${customer.email}`,
    ]);
  });

  it('renders into the outbox with one log line each; customer mail never holds the internal note', async () => {
    logLines.length = 0;
    const rows = await deliverAllToOutbox(ticketId);
    expect(rows.every((row) => row.status === 'outbox')).toBe(true);
    expect(
      logLines.filter((line) => line.msg === 'mail written to the outbox (SMTP_URL is unset)'),
    ).toHaveLength(rows.length);
    const customerRows = rows.filter((row) => row.audience === 'customer');
    expect(customerRows).toHaveLength(5);
    for (const row of customerRows) {
      const everything = `${row.subject}\n${row.textBody}\n${row.htmlBody}\n${JSON.stringify(row.facts)}`;
      expect(everything).not.toContain('watch list');
      expect(everything).not.toContain('Expired certificate');
      expect(row.textBody).toContain(`/portal/tickets/${ticketId}`);
      expect(row.textBody).not.toContain('/desk/');
    }
    const note = rows.find((row) => row.kind === 'internal_note');
    expect(note?.textBody).toContain(INTERNAL_NOTE);
    // Each manager's mail greets its own reader.
    const news = rows.filter((row) => row.kind === 'ticket_created');
    expect(news.map((row) => row.textBody?.split('\n')[0]).sort()).toEqual(
      ['Hello Ada Admin,', 'Hello Maria Manager,'].sort(),
    );
    expect(note?.textBody).toContain(`/desk/tickets/${ticketId}`);
  });

  it('subjects carry number, title and event; Message-IDs are unique, on the host of PUBLIC_URL', async () => {
    const rows = await orm.em.fork().find(Notification, { ticket: ticketId }, { orderBy: { id: 'asc' } });
    const ticket = await findVisibleTicket(orm.em.fork(), SYSTEM_SCOPE, ticketId);
    for (const row of rows) {
      expect(row.subject).toMatch(new RegExp(`^\\[ATUM DESK #${ticket.number}\\] VPN <down> & "out" — `));
      expect(row.messageId).toBe(`<${row.id}@127.0.0.1>`);
    }
    expect(rows.find((row) => row.kind === 'ticket_resolved')?.textBody).toMatch(
      /Rate our service: http:\/\/127\.0\.0\.1:3000\/portal\/csat\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}/,
    );
    expect(rows.find((row) => row.kind === 'ticket_created')?.htmlBody).toContain(
      'VPN &lt;down&gt; &amp; &quot;out&quot;',
    );
  });

  it('delivers a notification only once: a second run finds it done', async () => {
    const [row] = await orm.em.fork().find(Notification, { ticket: ticketId }, { limit: 1 });
    if (!row) throw new Error('no notification');
    expect(
      await deliverNotification(orm.em.fork(), row.id, {
        config: TEST_CONFIG,
        send: () => Promise.reject(new Error('must not send')),
        logger,
        lastAttempt: false,
      }),
    ).toBe('already_done');
  });

  it('lists them to administrators, newest first, with keyset paging and filters', async () => {
    const page = await asAdmin.notifications.list({ ticketId, limit: 4 });
    expect(page.items).toHaveLength(4);
    expect(page.items[0]?.kind).toBe('ticket_resolved');
    expect(page.nextCursor).not.toBeNull();
    const rest = await asAdmin.notifications.list({
      ticketId,
      limit: 50,
      cursor: page.nextCursor ?? undefined,
    });
    expect(page.items.length + rest.items.length).toBe(10);
    expect(rest.nextCursor).toBeNull();
    const outbox = await asAdmin.notifications.list({ status: 'outbox', ticketId });
    expect(outbox.items.every((item) => item.status === 'outbox' && item.subject && item.text)).toBe(true);
    expect((await asAdmin.notifications.list({ status: 'sent', ticketId })).items).toEqual([]);
    await expect(asManager.notifications.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('SLA mail', () => {
  it('goes to the managers once per alert, however often the alert is told', async () => {
    const created = await asCustomer.tickets.create({ title: 'Slow', description: 'x', priority: 'LOW' });
    await asManager.internal.tickets.accept({ id: created.id });
    const count = async () => (await mailsOf(created.id)).filter((mail) => mail.startsWith('sla_')).length;
    const enqueue = () =>
      orm.em.fork().transactional(async (tx) => {
        const ticket = await findVisibleTicket(tx, SYSTEM_SCOPE, created.id);
        await enqueueSlaMail(tx, ticket, 'breach', 'first_response');
      });
    await writeOutManagerMails();
    await enqueue();
    await enqueue();
    expect(await writeOutManagerMails()).toBe(2);
    expect(await count()).toBe(2);
    await enqueue();
    expect(await writeOutManagerMails()).toBe(0);
    expect(await count()).toBe(2);
  });
});

describe('the outbox', () => {
  /** An SLA breach mail to the manager and the admin by name, as a plan (what storeNotifications is given). */
  function breachMails(ticket: { id: string; number: number; title: string }): MailPlan {
    const mails: PlannedMail[] = [manager, admin].map((recipient) => ({
      recipient: { id: recipient.id, name: recipient.name, email: recipient.email, isActive: true },
      audience: 'staff' as const,
      facts: {
        kind: 'sla_breach' as const,
        ticket: { ...ticket, status: 'NEW' as const, priority: 'LOW' as const },
        recipientName: recipient.name,
        clock: 'first_response' as const,
        dueAt: null,
      },
    }));
    return { mails, managers: null };
  }

  /** A ticket of the customer, past the hourly limit that the API would apply. */
  function unlimitedTicket(title: string) {
    return createTicket(
      orm.em.fork(),
      { role: 'CUSTOMER_USER', actorId: customer.id, organizationId, ip: null, userAgent: null },
      { title, description: 'x', priority: 'LOW' },
      { ticketsPerHour: 0 },
    );
  }

  /** Writes rows as a change does, in a transaction of its own, after relaying what earlier tests left. */
  async function outboxRows(eventKey: string): Promise<{ ids: string[]; outboxId: string }> {
    const created = await unlimitedTicket('Outbox');
    await relayNotificationOutbox(orm.em.fork());
    return orm.em.fork().transactional(async (tx) => {
      const ticket = await findVisibleTicket(tx, SYSTEM_SCOPE, created.id);
      const { ids, outboxId } = await insertNotifications(tx, ticket, eventKey, breachMails(ticket));
      if (!outboxId) throw new Error('nothing written');
      return { ids, outboxId };
    });
  }

  it("keeps a change's mail in the outbox until the relay adds its jobs, each once", async () => {
    const { ids } = await outboxRows('test:outbox');
    expect(ids).toHaveLength(2);
    expect(await outboxNaming(ids)).toBe(1);
    expect([...(await jobCounts(ids)).values()]).toEqual([0, 0]);

    expect(await relayNotificationOutbox(orm.em.fork())).toBe(2);
    expect(await relayNotificationOutbox(orm.em.fork())).toBe(0);
    expect([...(await jobCounts(ids)).values()]).toEqual([1, 1]);
    expect(await outboxNaming(ids)).toBe(0);
  });

  it('leaves the outbox rows of a change still in progress for a later round', async () => {
    const created = await unlimitedTicket('Open');
    await relayNotificationOutbox(orm.em.fork());
    let ids: string[] = [];
    await orm.em.fork().transactional(async (tx) => {
      const ticket = await findVisibleTicket(tx, SYSTEM_SCOPE, created.id);
      ({ ids } = await insertNotifications(tx, ticket, 'test:in-progress', breachMails(ticket)));
      // Not committed yet: another connection's relay cannot see the row.
      expect(await relayNotificationOutbox(orm.em.fork())).toBe(0);
    });
    expect([...(await jobCounts(ids)).values()]).toEqual([0, 0]);
    expect(await relayNotificationOutbox(orm.em.fork())).toBe(2);
    expect([...(await jobCounts(ids)).values()]).toEqual([1, 1]);
  });

  it('a rolled-back change leaves neither rows nor jobs', async () => {
    await relayNotificationOutbox(orm.em.fork());
    const jobsBefore = (await mailJobs()).length;
    let ticketId: string | undefined;
    await expect(
      orm.em.fork().transactional(async (tx) => {
        const ticket = await createTicket(
          tx,
          { role: 'CUSTOMER_USER', actorId: customer.id, organizationId, ip: null, userAgent: null },
          { title: 'Rolled back', description: 'x', priority: 'LOW' },
          { ticketsPerHour: 0 },
        );
        ticketId = ticket.id;
        expect(
          await tx.execute("select 1 from notification_outbox where mail_event->'ticket'->>'id' = ?", [
            ticket.id,
          ]),
        ).toHaveLength(1);
        throw new Error('the change fails after its mail was planned');
      }),
    ).rejects.toThrow('the change fails');
    expect(ticketId).toBeDefined();
    expect(await relayNotificationOutbox(orm.em.fork())).toBe(0);
    expect(await orm.em.fork().count(Notification, { ticket: ticketId })).toBe(0);
    expect((await mailJobs()).length).toBe(jobsBefore);
    const managerJobs = await jobsOf<{ managerMails: { ticketId: string }[] }>(MANAGER_MAIL_TASK);
    const mailsOfTicket = managerJobs.flatMap((job) => job.payload.managerMails);
    expect(mailsOfTicket.filter((mail) => mail.ticketId === ticketId)).toEqual([]);
  });

  it('never enqueues a row twice when relays of several workers race', async () => {
    for (let round = 0; round < 5; round++) {
      const written = await outboxRows(`test:race:${round}`);
      const results = await Promise.all(
        Array.from({ length: 4 }, () => relayNotificationOutbox(orm.em.fork())),
      );
      expect(results.reduce((sum, enqueued) => sum + enqueued, 0)).toBe(2);
      expect([...(await jobCounts(written.ids)).values()]).toEqual([1, 1]);
    }
  });
});

describe('mail to the managers', () => {
  async function newTicket(title: string) {
    const created = await createTicket(
      orm.em.fork(),
      { role: 'CUSTOMER_USER', actorId: customer.id, organizationId, ip: null, userAgent: null },
      { title, description: 'x', priority: 'LOW' },
      { ticketsPerHour: 1000 },
    );
    await writeOutManagerMails();
    return findVisibleTicket(orm.em.fork(), SYSTEM_SCOPE, created.id);
  }

  function breach(ticket: { id: string; number: number; title: string }, except: string[]) {
    return ZManagerMail.parse({
      organizationId,
      ticketId: ticket.id,
      eventKey: `test:managers:${ticket.id}`,
      except,
      facts: {
        kind: 'sla_breach',
        ticket: { id: ticket.id, number: ticket.number, title: ticket.title, status: 'NEW', priority: 'LOW' },
        recipientName: '',
        clock: 'resolution',
        dueAt: null,
      },
    });
  }

  it('goes to each active manager and admin but those excepted, each once', async () => {
    const ticket = await newTicket('Everyone');
    const breaches = async () =>
      (await mailsOf(ticket.id)).filter((mail) => mail.startsWith('sla_breach')).sort();
    expect(await writeManagerMail(orm.em.fork(), breach(ticket, [admin.id]))).toBe(1);
    expect(await breaches()).toEqual([`sla_breach → ${manager.email}`]);
    // Told again without the exception, it writes only the mail still missing.
    expect(await writeManagerMail(orm.em.fork(), breach(ticket, []))).toBe(1);
    expect(await writeManagerMail(orm.em.fork(), breach(ticket, []))).toBe(0);
    expect(await breaches()).toEqual([`sla_breach → ${admin.email}`, `sla_breach → ${manager.email}`].sort());
    const jobs = await mailJobs();
    const rows = await orm.em.fork().find(Notification, { ticket: ticket.id, kind: 'sla_breach' });
    for (const row of rows) {
      expect(jobs.filter((job) => job.payload.notificationIds.includes(row.id))).toHaveLength(1);
      expect(row.recipient?.id).toBe(row.toAddress === admin.email ? admin.id : manager.id);
    }
  });

  it('writes nothing for a ticket that is gone', async () => {
    const ticket = await newTicket('Gone');
    const ghost = { ...ticket, id: '0190b7a0-0000-7000-8000-00000000dead' };
    expect(await writeManagerMail(orm.em.fork(), breach(ghost, []))).toBe(0);
  });

  it('manager mails in the outbox are enqueued by the relay, once, in one job', async () => {
    const ticket = await newTicket('Outbox managers');
    const mails = [breach(ticket, []), { ...breach(ticket, []), eventKey: `test:managers:2:${ticket.id}` }];
    for (const [index, mail] of mails.entries()) {
      await orm.em
        .fork()
        .execute(
          "insert into notification_outbox (id, notification_ids, manager_mail, created_at) values (?, '{}', ?, now() - interval '1 minute')",
          [`0190b7a0-0000-7000-8000-00000000bee${index}`, JSON.stringify(mail)],
        );
    }
    const jobsBefore = (await jobsOf(MANAGER_MAIL_TASK)).length;
    expect(await relayNotificationOutbox(orm.em.fork())).toBe(2);
    expect(await relayNotificationOutbox(orm.em.fork())).toBe(0);
    const added = (await jobsOf<{ managerMails: unknown[] }>(MANAGER_MAIL_TASK)).slice(jobsBefore);
    expect(added.map((job) => job.payload.managerMails.length)).toEqual([2]);
    expect(await writeOutManagerMails()).toBe(4);
    expect((await mailsOf(ticket.id)).filter((line) => line.startsWith('sla_breach'))).toHaveLength(4);
  });
});
