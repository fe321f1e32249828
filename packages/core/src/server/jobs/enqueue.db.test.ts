import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../db/orm.ts';
import { cancelJob, enqueueJob } from './enqueue.ts';

// The general way to add a job with the change that causes it: through the change's own connection, so
// the job exists exactly when the change committed. (Mail and SLA timers take the after-commit path
// instead, db/after-commit.ts; this is for jobs whose NOTIFY inside the transaction does not matter.)

const db = useTestDatabase();
let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm(db.url);
});
afterAll(async () => {
  await orm?.close();
});

interface JobRow {
  task: string;
  payload: Record<string, unknown>;
  runAt: string;
  maxAttempts: number;
  key: string | null;
}

async function jobsWithKey(key: string): Promise<JobRow[]> {
  return orm.em.fork().execute<JobRow[]>(
    `select t.identifier as task, j.payload,
            to_char(j.run_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "runAt",
            j.max_attempts as "maxAttempts", j.key
       from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where j.key = ?`,
    [key],
  );
}

describe('enqueueJob', () => {
  it('adds the job with the transaction that caused it, and not when that transaction rolls back', async () => {
    const runAt = new Date('2030-01-01T00:00:00Z');
    await orm.em.fork().transactional(async (tx) => {
      await enqueueJob(tx, 'test/task', { ticketId: 'a' }, { jobKey: 'test:kept', runAt, maxAttempts: 3 });
      // Not visible outside the transaction before it commits.
      expect(await jobsWithKey('test:kept')).toEqual([]);
    });
    expect(await jobsWithKey('test:kept')).toEqual([
      {
        task: 'test/task',
        payload: { ticketId: 'a' },
        runAt: '2030-01-01T00:00:00Z',
        maxAttempts: 3,
        key: 'test:kept',
      },
    ]);

    await expect(
      orm.em.fork().transactional(async (tx) => {
        await enqueueJob(tx, 'test/task', { ticketId: 'b' }, { jobKey: 'test:rolled-back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await jobsWithKey('test:rolled-back')).toEqual([]);
  });

  it('replaces a job of the same key, and cancelJob removes a pending one', async () => {
    const em = orm.em.fork();
    await enqueueJob(
      em,
      'test/task',
      { n: 1 },
      { jobKey: 'test:timer', runAt: new Date('2030-01-01T00:00:00Z') },
    );
    await enqueueJob(
      em,
      'test/task',
      { n: 2 },
      { jobKey: 'test:timer', runAt: new Date('2030-02-01T00:00:00Z') },
    );
    const [job] = await jobsWithKey('test:timer');
    expect(job?.payload).toEqual({ n: 2 });
    expect(job?.runAt).toBe('2030-02-01T00:00:00Z');
    await cancelJob(em, 'test:timer');
    expect(await jobsWithKey('test:timer')).toEqual([]);
  });
});
