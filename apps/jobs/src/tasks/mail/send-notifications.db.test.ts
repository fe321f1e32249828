import {
  type Config,
  createLogger,
  insertNotifications,
  loadConfig,
  type MikroORM,
  Notification,
  openOrm,
  SEND_NOTIFICATIONS_TASK,
  Ticket,
  type User,
} from '@atum-desk/core/server';
import { callerFor, createTestOrganization, createTestUser } from '@atum-desk/core/testing';
import { useTestDatabase } from '@atum-desk/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JobsWorker, startWorker } from '../../worker.ts';
import { freePort, type ReceivedMail, startTestSmtpServer, type TestSmtpServer } from './test-smtp-server.ts';

// Mail end to end, in process: services write notifications in their transactions, the jobs worker
// sends them to a real SMTP server started here, and the messages are read back as they arrived.

const db = useTestDatabase();
const silent = createLogger({ name: 'test', level: 'silent' });
const PUBLIC_URL = 'https://desk.example.test';
const INTERNAL_NOTE = 'INTERNAL ONLY: customer is on the credit watch list';

let orm: MikroORM;
let customer: User;
let manager: User;
let admin: User;
let agent: User;
type Caller = Awaited<ReturnType<typeof callerFor>>;
let asCustomer: Caller;
let asManager: Caller;
let asAgent: Caller;

function mailConfig(smtpUrl?: string): Config {
  return loadConfig({
    PUBLIC_URL,
    MAIL_FROM: 'ATUM DESK <desk@example.test>',
    ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}),
  });
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

async function rowsOf(ticketId: string): Promise<Notification[]> {
  return orm.em.fork().find(Notification, { ticket: ticketId }, { orderBy: { id: 'asc' } });
}

/** The mails received for `rows`, matched by their Message-IDs. */
function mailsFor(smtp: TestSmtpServer, rows: Notification[]): ReceivedMail[] {
  const ids = new Set(rows.map((row) => row.messageId));
  return smtp.received.filter((mail) => ids.has(mail.messageId));
}

async function allSent(ticketId: string, count: number): Promise<Notification[] | undefined> {
  const rows = await rowsOf(ticketId);
  return rows.length === count && rows.every((row) => row.status === 'sent') ? rows : undefined;
}

beforeAll(async () => {
  orm = await openOrm(db.url);
  const em = orm.em.fork();
  const organization = await createTestOrganization(em, 'Acme');
  customer = await createTestUser(em, {
    role: 'CUSTOMER_USER',
    organizationId: organization.id,
    name: 'Alice Customer',
  });
  manager = await createTestUser(em, { role: 'MANAGER', name: 'Maria Manager' });
  admin = await createTestUser(em, { role: 'ADMIN', name: 'Ada Admin' });
  agent = await createTestUser(em, { role: 'AGENT', name: 'Aldo Agent' });
  asCustomer = await callerFor(orm, customer);
  asManager = await callerFor(orm, manager);
  asAgent = await callerFor(orm, agent);
});
afterAll(async () => {
  await orm?.close();
});

describe('mail over SMTP', () => {
  let smtp: TestSmtpServer;
  let worker: JobsWorker;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    worker = await startWorker({ databaseUrl: db.url, logger: silent, config: mailConfig(smtp.url) });
  });
  afterAll(async () => {
    await worker?.stop();
    await smtp?.stop();
  });

  it('delivers a new ticket to each manager and admin, and a receipt to the requester', async () => {
    const ticket = await asCustomer.tickets.create({
      title: 'Printer on fire',
      description: 'Smoke from tray 2',
      priority: 'URGENT',
    });
    const rows = await until('three sent notifications', () => allSent(ticket.id, 3));
    const mails = mailsFor(smtp, rows);
    expect(mails.map((mail) => mail.to.join()).sort()).toEqual(
      [admin.email, customer.email, manager.email].sort(),
    );
    for (const mail of mails) {
      const row = rows.find((candidate) => candidate.messageId === mail.messageId);
      expect(mail.messageId).toBe(`<${row?.id}@desk.example.test>`);
      expect(mail.inReplyTo).toBe(`<ticket-${ticket.id}@desk.example.test>`);
      expect(mail.references).toBe(`<ticket-${ticket.id}@desk.example.test>`);
      expect(mail.autoSubmitted).toBe('auto-generated');
    }
    const toManager = mails.find((mail) => mail.to.includes(manager.email));
    expect(toManager?.subject).toBe(
      `[ATUM DESK #${ticket.number}] Printer on fire — new ticket waiting for acceptance`,
    );
    expect(toManager?.text).toContain('Smoke from tray 2');
    expect(toManager?.text).toContain(`${PUBLIC_URL}/desk/tickets/${ticket.id}`);
    expect(toManager?.html).toContain('ATUM DESK</span>');
    const receipt = mails.find((mail) => mail.to.includes(customer.email));
    expect(receipt?.subject).toBe(`[ATUM DESK #${ticket.number}] Printer on fire — we received your request`);
    expect(receipt?.text).toContain(`${PUBLIC_URL}/portal/tickets/${ticket.id}`);
  });

  it('delivers the first-ticket walkthrough to the right people; the customer never reads the internal note', async () => {
    const ticket = await asCustomer.tickets.create({
      title: 'VPN down',
      description: 'No tunnel',
      priority: 'HIGH',
    });
    await asManager.internal.tickets.accept({ id: ticket.id });
    await asManager.internal.tickets.assign({ id: ticket.id, assigneeId: agent.id });
    await asManager.internal.tickets.comment({ id: ticket.id, body: INTERNAL_NOTE, internal: true });
    await asAgent.internal.tickets.comment({ id: ticket.id, body: 'Which client version?', internal: false });
    await asAgent.internal.tickets.status({ id: ticket.id, status: 'WAITING_CUSTOMER' });
    await asCustomer.tickets.comment({ id: ticket.id, body: 'Version 5.2' });
    await asAgent.internal.tickets.status({
      id: ticket.id,
      status: 'RESOLVED',
      resolution: 'Updated the client to 5.3',
      rootCause: 'Expired certificate bundled with 5.2',
    });
    const rows = await until('ten sent notifications', () => allSent(ticket.id, 10));
    const mails = mailsFor(smtp, rows);
    expect(mails).toHaveLength(10);
    const prefix = `[ATUM DESK #${ticket.number}] VPN down — `;
    const got = mails.map((mail) => `${mail.to.join()}: ${mail.subject.slice(prefix.length)}`).sort();
    expect(got).toEqual(
      [
        `${customer.email}: we received your request`,
        `${manager.email}: new ticket waiting for acceptance`,
        `${admin.email}: new ticket waiting for acceptance`,
        `${customer.email}: accepted`,
        `${agent.email}: assigned to you`,
        `${agent.email}: internal note`,
        `${customer.email}: new reply`,
        `${customer.email}: now waiting for your reply`,
        `${agent.email}: customer replied`,
        `${customer.email}: resolved`,
      ].sort(),
    );
    const toCustomer = mails.filter((mail) => mail.to.includes(customer.email));
    expect(toCustomer).toHaveLength(5);
    for (const mail of toCustomer) {
      expect(mail.raw).not.toContain('credit watch list');
      expect(`${mail.subject}${mail.text}${mail.html}`).not.toContain('credit watch list');
      expect(`${mail.text}${mail.html}`).not.toContain('Expired certificate');
      expect(mail.text).not.toContain('/desk/');
    }
    expect(mails.find((mail) => mail.subject.endsWith('internal note'))?.text).toContain(INTERNAL_NOTE);
    expect(mails.find((mail) => mail.subject.endsWith('resolved'))?.text).toMatch(
      /Rate our service: https:\/\/desk\.example\.test\/portal\/csat\/[\w-]{22}\.[\w-]{22}/,
    );
    // One thread per ticket: every mail refers to the same root.
    expect(new Set(mails.map((mail) => mail.references))).toEqual(
      new Set([`<ticket-${ticket.id}@desk.example.test>`]),
    );
  });

  it('sends, once each, the mail of any committed change: its outbox row is all the worker needs', async () => {
    const created = await asCustomer.tickets.create({ title: 'Crashed', description: 'x', priority: 'LOW' });
    await until('the ticket mail', () => allSent(created.id, 3));
    // All a change leaves, even when its process dies right after the commit: the outbox row. Its mail
    // to the managers is written out by its own job, whose send jobs then send it.
    const eventKey = `test:crashed:${created.id}`;
    const written = await orm.em.fork().transactional(async (tx) => {
      const ticket = await tx.findOneOrFail(Ticket, created.id);
      const facts = {
        kind: 'sla_breach' as const,
        ticket: {
          id: ticket.id,
          number: ticket.number,
          title: ticket.title,
          status: ticket.status,
          priority: ticket.priority,
        },
        clock: 'first_response' as const,
        dueAt: null,
        recipientName: '',
      };
      return insertNotifications(tx, ticket, eventKey, { mails: [], managers: { except: [], facts } });
    });
    expect(written.ids).toEqual([]);
    expect(written.outboxId).not.toBeNull();

    const rows = await until('the relayed mail', async () => {
      const found = await orm.em.fork().find(Notification, { eventKey });
      return found.length === 2 && found.every((row) => row.status === 'sent') ? found : undefined;
    });
    // Several more relay rounds find nothing left to send.
    await new Promise((wake) => setTimeout(wake, 1_000));
    const mails = mailsFor(smtp, rows);
    expect(mails.map((mail) => mail.to.join()).sort()).toEqual([admin.email, manager.email].sort());
    expect(mails.map((mail) => mail.text.split(/\r?\n/)[0]).sort()).toEqual(
      [`Hello ${admin.name},`, `Hello ${manager.name},`].sort(),
    );
    expect(rows.every((row) => row.attempts === 1)).toBe(true);
  });
});

describe('an SMTP outage', () => {
  it('keeps the mail pending while the server is down and delivers it exactly once when it is back', async () => {
    const port = await freePort();
    const worker = await startWorker({
      databaseUrl: db.url,
      logger: silent,
      config: mailConfig(`smtp://127.0.0.1:${port}`),
    });
    let smtp: TestSmtpServer | undefined;
    try {
      const ticket = await asCustomer.tickets.create({ title: 'Outage', description: 'x', priority: 'LOW' });
      const failed = await until('a failed attempt of each mail', async () => {
        const rows = await rowsOf(ticket.id);
        return rows.length === 3 && rows.every((row) => row.attempts >= 1) ? rows : undefined;
      });
      expect(failed.every((row) => row.status === 'pending' && row.lastError && row.messageId)).toBe(true);

      smtp = await startTestSmtpServer({ port });
      // Retry now rather than after graphile-worker's back-off.
      await orm.em.fork().execute(
        `update graphile_worker._private_jobs set run_at = now()
         where task_id = (select id from graphile_worker._private_tasks where identifier = ?)`,
        [SEND_NOTIFICATIONS_TASK],
      );
      const rows = await until('the mail after the outage', () => allSent(ticket.id, 3));
      // The Message-ID fixed before the first attempt is the one that arrived.
      expect(rows.map((row) => row.messageId)).toEqual(failed.map((row) => row.messageId));
      await new Promise((wake) => setTimeout(wake, 500));
      const mails = mailsFor(smtp, rows);
      expect(mails).toHaveLength(3);
      expect(new Set(mails.map((mail) => mail.messageId)).size).toBe(3);
    } finally {
      await worker.stop();
      await smtp?.stop();
    }
  });
});

describe('a recipient the server refuses', () => {
  it("delivers the others' mails of the same job now and only the refused one on the retry", async () => {
    const smtp = await startTestSmtpServer();
    const worker = await startWorker({ databaseUrl: db.url, logger: silent, config: mailConfig(smtp.url) });
    try {
      // The managers' two mails are one job: the one not refused goes out all the same.
      smtp.setRefusedRecipients([manager.email]);
      const ticket = await asCustomer.tickets.create({ title: 'Refused', description: 'x', priority: 'LOW' });
      const firstRound = await until('two sent and one failed attempt', async () => {
        const rows = await rowsOf(ticket.id);
        const sent = rows.filter((row) => row.status === 'sent');
        const refused = rows.find((row) => row.toAddress === manager.email);
        return rows.length === 3 && sent.length === 2 && refused?.attempts === 1 ? rows : undefined;
      });
      const refused = firstRound.find((row) => row.toAddress === manager.email);
      expect(refused).toMatchObject({ status: 'pending', lastError: expect.stringContaining('550') });
      // The two mails were one job: the failure is its failure, and its retry skips the sent row.
      const [job] = await orm.em
        .fork()
        .execute<{ attempts: number; payload: { notificationIds: string[] } }[]>(
          `select jobs.attempts, jobs.payload from graphile_worker._private_jobs as jobs
          join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id
         where tasks.identifier = ? and (jobs.payload::jsonb)->'notificationIds' @> jsonb_build_array(?::text)`,
          [SEND_NOTIFICATIONS_TASK, refused?.id],
        );
      expect(job?.attempts).toBe(1);
      expect(job?.payload.notificationIds).toHaveLength(2);

      smtp.setRefusedRecipients([]);
      await orm.em.fork().execute(
        `update graphile_worker._private_jobs set run_at = now()
         where task_id = (select id from graphile_worker._private_tasks where identifier = ?)`,
        [SEND_NOTIFICATIONS_TASK],
      );
      const rows = await until('every mail after the retry', () => allSent(ticket.id, 3));
      await new Promise((wake) => setTimeout(wake, 300));
      const mails = mailsFor(smtp, rows);
      expect(mails.map((mail) => mail.to.join()).sort()).toEqual(
        [admin.email, customer.email, manager.email].sort(),
      );
    } finally {
      await worker.stop();
      await smtp.stop();
    }
  });
});

describe('without SMTP_URL', () => {
  // The log line of each outbox mail is checked in core (notification.db.test.ts).
  it('writes each mail to the outbox, for administrators to read', async () => {
    const worker = await startWorker({ databaseUrl: db.url, logger: silent, config: mailConfig() });
    try {
      const ticket = await asCustomer.tickets.create({ title: 'No SMTP', description: 'x', priority: 'LOW' });
      const rows = await until('three outbox rows', async () => {
        const found = await rowsOf(ticket.id);
        return found.length === 3 && found.every((row) => row.status === 'outbox') ? found : undefined;
      });
      const listed = await (await callerFor(orm, admin)).notifications.list({
        ticketId: ticket.id,
        status: 'outbox',
      });
      expect(listed.items.map((item) => item.id).sort()).toEqual(rows.map((row) => row.id).sort());
      expect(listed.items.every((item) => item.text?.includes('ATUM DESK'))).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});
