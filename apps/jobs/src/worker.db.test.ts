import { createLogger } from '@atum-desk/core/server';
import { useTestDatabase } from '@atum-desk/test-helpers';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startWorker } from './worker.ts';

const db = useTestDatabase();
const logger = createLogger({ name: 'test', level: 'silent' });

async function heartbeats(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (
      await client.query<{ worker_id: string; beats: string }>(
        'select worker_id, beats from worker_heartbeats',
      )
    ).rows;
  } finally {
    await client.end();
  }
}

describe('the jobs worker', () => {
  it('consumes the queue: its start-up heartbeat is recorded in the database', async () => {
    const worker = await startWorker({ databaseUrl: db.url, logger });
    try {
      const deadline = Date.now() + 15_000;
      let rows = await heartbeats(db.url);
      while (rows.length === 0 && Date.now() < deadline) {
        await new Promise((wake) => setTimeout(wake, 100));
        rows = await heartbeats(db.url);
      }
      expect(rows).toEqual([{ worker_id: worker.workerId, beats: '1' }]);
    } finally {
      await worker.stop();
    }
  });

  it('runs a job added by another connection, and counts each beat', async () => {
    const worker = await startWorker({ databaseUrl: db.url, logger });
    try {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      // Exactly how services enqueue: graphile-worker's SQL add_job, inside their own transaction.
      await client.query("select graphile_worker.add_job('system/heartbeat', '{}'::json)");
      await client.end();
      const deadline = Date.now() + 15_000;
      let beats = 0;
      while (beats < 2 && Date.now() < deadline) {
        await new Promise((wake) => setTimeout(wake, 100));
        beats = Number(
          (await heartbeats(db.url)).find((row) => row.worker_id === worker.workerId)?.beats ?? 0,
        );
      }
      // The start-up beat and the added job's; the minute's scheduled beat may add one more.
      expect(beats).toBeGreaterThanOrEqual(2);
    } finally {
      await worker.stop();
    }
  });
});
