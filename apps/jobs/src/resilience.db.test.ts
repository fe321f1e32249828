import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, migrateDatabase, startEmbeddedPostgres } from '@atum-desk/core/server';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker } from './worker.ts';

// The jobs process outlives its database: PostgreSQL stops and comes back on the same address, and
// the worker goes on taking jobs without anyone restarting it (issue: "survives a database restart").

const logger = createLogger({ name: 'test', level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function beats(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: string | null }>(
      'select sum(beats) as total from worker_heartbeats',
    );
    return Number(rows[0]?.total ?? 0);
  } finally {
    await client.end();
  }
}

async function addHeartbeatJob(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select graphile_worker.add_job('system/heartbeat', '{}'::json)");
  } finally {
    await client.end();
  }
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition().catch(() => false)) return true;
    await new Promise((wake) => setTimeout(wake, 250));
  }
  return false;
}

describe('the jobs worker', () => {
  it('takes jobs again after the database restarts, with no manual action', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'atum-restart-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    let database = await startEmbeddedPostgres({ dataDir, logger });
    const port = database.port;
    cleanups.push(() => database.stop());
    await migrateDatabase(database.url, logger);
    const worker = await startWorker({ databaseUrl: database.url, logger });
    cleanups.push(() => worker.stop());
    expect(await until(async () => (await beats(database.url)) >= 1, 15_000)).toBe(true);

    await database.stop();
    await new Promise((wake) => setTimeout(wake, 1_000));
    database = await startEmbeddedPostgres({ dataDir, logger, port });

    const before = await beats(database.url);
    await addHeartbeatJob(database.url);
    expect(await until(async () => (await beats(database.url)) > before, 60_000)).toBe(true);
  }, 120_000);
});
