import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type MikroORM, Notification, openOrm, type User } from '@atum-desk/core/server';
import { callerFor, createTestOrganization, createTestUser } from '@atum-desk/core/testing';
import { useTestDatabase } from '@atum-desk/test-helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from './test-smtp-server.ts';

// The jobs process as systemd and `npm start` run it (`node apps/jobs/src/main.ts`), against a real
// SMTP server that answers DATA slowly, so that a send is in flight when the process is killed or
// told to stop. Whatever happens to the process, every notification ends sent: at least once, never
// lost (a mail in flight at a crash may arrive twice, under the same Message-ID).

const db = useTestDatabase();
const MAIN = fileURLToPath(new URL('../../main.ts', import.meta.url));

let orm: MikroORM;
let customer: User;
let asCustomer: Awaited<ReturnType<typeof callerFor>>;
const running = new Set<JobsProcess>();

interface JobsProcess {
  child: ChildProcess;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startJobsProcess(smtpUrl: string): JobsProcess {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      // biome-ignore lint/style/noProcessEnv: the child needs PATH and the like from the test's environment
      ...process.env,
      DATABASE_URL: db.url,
      SMTP_URL: smtpUrl,
      PUBLIC_URL: 'https://desk.example.test',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => output.push(String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const process_ = { child, output, exited };
  running.add(process_);
  exited.then(() => running.delete(process_));
  return process_;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

/** Waits until the process has installed its signal handlers and runs jobs. */
async function ready(jobs: JobsProcess): Promise<JobsProcess> {
  await until('the jobs worker to start', () => jobs.output.join('').includes('jobs worker started'), 30_000);
  return jobs;
}

async function rowsOf(ticketIds: string[]): Promise<Notification[]> {
  return orm.em.fork().find(Notification, { ticket: { $in: ticketIds } }, { orderBy: { id: 'asc' } });
}

async function allSent(ticketIds: string[], count: number): Promise<Notification[] | undefined> {
  const rows = await rowsOf(ticketIds);
  return rows.length === count && rows.every((row) => row.status === 'sent') ? rows : undefined;
}

async function lockedJobs(): Promise<number> {
  const rows = await orm.em
    .fork()
    .execute<{ count: string }[]>(
      'select count(*) as count from graphile_worker._private_jobs where locked_by is not null',
    );
  return Number(rows[0]?.count ?? 0);
}

async function openTickets(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    ids.push(
      (await asCustomer.tickets.create({ title: `Crash ${index}`, description: 'x', priority: 'LOW' })).id,
    );
  }
  return ids;
}

beforeAll(async () => {
  orm = await openOrm(db.url);
  const em = orm.em.fork();
  const organization = await createTestOrganization(em);
  customer = await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: organization.id });
  await createTestUser(em, { role: 'MANAGER' });
  await createTestUser(em, { role: 'ADMIN' });
  asCustomer = await callerFor(orm, customer);
}, 60_000);
afterEach(async () => {
  for (const jobs of running) {
    jobs.child.kill('SIGKILL');
    await jobs.exited;
  }
});
afterAll(async () => {
  await orm?.close();
});

describe('the jobs process', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
  });
  afterAll(async () => {
    await smtp?.stop();
  });

  it('killed with SIGKILL mid-send: after a restart every mail arrives, none lost', async () => {
    smtp.setDataDelay(3_000);
    // Three tickets: a receipt, a manager's and an admin's mail each.
    const tickets = await openTickets(3);
    const startedBefore = smtp.dataStarted;
    const first = startJobsProcess(smtp.url);
    await until('a send in flight', () => smtp.dataStarted > startedBefore, 30_000);
    await new Promise((wake) => setTimeout(wake, 300));
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const inFlight = smtp.dataStarted - startedBefore;
    expect(await lockedJobs()).toBeGreaterThan(0);

    smtp.setDataDelay(200);
    const second = await ready(startJobsProcess(smtp.url));
    const rows = await until('every notification sent', () => allSent(tickets, 9), 90_000).catch((error) => {
      throw new Error(`${error}\n${second.output.join('')}`);
    });
    await new Promise((wake) => setTimeout(wake, 3_500));
    const ids = new Set(rows.map((row) => row.messageId));
    const arrived = smtp.received.filter((mail) => ids.has(mail.messageId));
    expect(new Set(arrived.map((mail) => mail.messageId)).size).toBe(rows.length);
    // Repeats only of the mails that were in flight when the process died.
    expect(arrived.length - rows.length).toBeLessThanOrEqual(inFlight);
    expect(second.output.join('')).toContain('released the jobs of jobs processes that died');

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 150_000);

  it('told SIGTERM mid-send: finishes the send, leaves no job locked and exits 0', async () => {
    smtp.setDataDelay(1_500);
    const tickets = await openTickets(1);
    const startedBefore = smtp.dataStarted;
    const jobs = startJobsProcess(smtp.url);
    await until('a send in flight', () => smtp.dataStarted > startedBefore, 30_000);
    const receivedBefore = smtp.received.length;
    jobs.child.kill('SIGTERM');
    expect(await jobs.exited).toEqual({ code: 0, signal: null });
    // The mails in flight were finished, not cut off.
    expect(smtp.received.length).toBeGreaterThan(receivedBefore);
    expect(await lockedJobs()).toBe(0);

    smtp.setDataDelay(0);
    const again = await ready(startJobsProcess(smtp.url));
    await until('every notification sent', () => allSent(tickets, 3));
    again.child.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('told SIGTERM while a send hangs: releases the job within seconds, and the mail goes out later', async () => {
    smtp.setDataDelay(60_000);
    const tickets = await openTickets(1);
    const startedBefore = smtp.dataStarted;
    const jobs = startJobsProcess(smtp.url);
    await until('a send in flight', () => smtp.dataStarted > startedBefore, 30_000);
    const asked = Date.now();
    jobs.child.kill('SIGTERM');
    expect(await jobs.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - asked).toBeLessThan(15_000);
    expect(await lockedJobs()).toBe(0);
    const pending = (await rowsOf(tickets)).filter((row) => row.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);

    smtp.setDataDelay(0);
    const again = await ready(startJobsProcess(smtp.url));
    // The released job waits out graphile-worker's first back-off (a few seconds).
    const rows = await until('every notification sent', () => allSent(tickets, 3));
    const ids = new Set(rows.map((row) => row.messageId));
    expect(
      new Set(smtp.received.filter((mail) => ids.has(mail.messageId)).map((mail) => mail.messageId)).size,
    ).toBe(3);
    again.child.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  }, 90_000);
});
