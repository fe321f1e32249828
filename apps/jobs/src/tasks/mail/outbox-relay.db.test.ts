import { createLogger, type MikroORM, openOrm } from '@atum-desk/core/server';
import { callerFor, createTestOrganization, createTestUser } from '@atum-desk/core/testing';
import { useTestDatabase } from '@atum-desk/test-helpers';
import { runMigrations } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOutboxRelay } from './outbox-relay.ts';

// The relay that takes committed outbox rows and adds their mail jobs, on a real database with
// graphile-worker's schema, without a worker running the jobs.

const db = useTestDatabase();
let orm: MikroORM;
type Caller = Awaited<ReturnType<typeof callerFor>>;
let asCustomer: Caller;

beforeAll(async () => {
  await runMigrations({ connectionString: db.url, logger: undefined });
  orm = await openOrm(db.url);
  const em = orm.em.fork();
  const organization = await createTestOrganization(em);
  asCustomer = await callerFor(
    orm,
    await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: organization.id }),
  );
  await createTestUser(em, { role: 'MANAGER' });
});
afterAll(async () => {
  await orm?.close(true);
});

const pause = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

async function count(sql: string): Promise<number> {
  const [row] = await orm.em.fork().execute<{ count: number }[]>(`select count(*)::int as count from ${sql}`);
  return row?.count ?? -1;
}

const outboxRows = () => count('notification_outbox');
const mailJobs = () =>
  count(`graphile_worker._private_jobs as jobs
           join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id
          where tasks.identifier like 'mail/%'`);

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

describe('the mail outbox relay', () => {
  it('adds the jobs of each committed change within its interval, and stops after its round', async () => {
    const relay = startOutboxRelay(orm, createLogger({ name: 'test', level: 'silent' }), 50);
    try {
      await asCustomer.tickets.create({ title: 'Relayed', description: 'x', priority: 'LOW' });
      // The receipt's send job and the managers' mail job.
      await until('the relay', async () => (await outboxRows()) === 0 && (await mailJobs()) === 2);
    } finally {
      await relay.stop();
    }
    await asCustomer.tickets.create({ title: 'After the stop', description: 'x', priority: 'LOW' });
    await pause(200);
    expect(await outboxRows()).toBe(1);
    expect(await mailJobs()).toBe(2);
  });

  it('keeps trying while its statement fails, logs that once, and relays once it works again', async () => {
    const lines: { msg: string }[] = [];
    const logger = createLogger({
      name: 'test',
      destination: {
        write(chunk) {
          for (const line of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        },
      },
    });
    const jobsBefore = await mailJobs();
    const waiting = await outboxRows();
    expect(waiting).toBe(1);
    await orm.em.fork().execute('alter table notification_outbox rename to notification_outbox_away');
    const relay = startOutboxRelay(orm, logger, 20);
    try {
      await pause(200);
      expect(lines.filter((line) => line.msg.startsWith('the mail outbox relay failed'))).toHaveLength(1);
      expect(await mailJobs()).toBe(jobsBefore);
      await orm.em.fork().execute('alter table notification_outbox_away rename to notification_outbox');
      await until('the relay after the failure', async () => (await outboxRows()) === 0);
    } finally {
      await relay.stop();
    }
    expect(await mailJobs()).toBe(jobsBefore + 2);
    expect(lines.map((line) => line.msg)).toContain('the mail outbox relay works again');
  });
});
