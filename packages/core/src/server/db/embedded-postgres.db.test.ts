import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.ts';
import { type EmbeddedPostgres, EmbeddedPostgresError, startEmbeddedPostgres } from './embedded-postgres.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
const folders: string[] = [];
const servers: EmbeddedPostgres[] = [];

async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'atum-embedded-'));
  folders.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({ dataDir, logger });
  servers.push(server);
  return server;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

describe('the embedded PostgreSQL', () => {
  it('keeps its data across a stop and a start', async () => {
    const dataDir = await scratchDir();
    const first = await start(dataDir);
    await query(first.url, "create table kept (value text); insert into kept values ('still here')");
    await first.stop();
    await first.stop(); // stopping twice is harmless

    const second = await start(dataDir);
    expect(await query(second.url, 'select value from kept')).toEqual([{ value: 'still here' }]);
    await second.stop();
  });

  it('takes over from a server left running by a process that died', async () => {
    const dataDir = await scratchDir();
    const orphan = await start(dataDir);
    await query(orphan.url, 'create table survived (id int); insert into survived values (1)');
    // No stop(): as if the launcher had been killed with SIGKILL.
    const next = await start(dataDir);
    expect(await query(next.url, 'select id from survived')).toEqual([{ id: 1 }]);
    await next.stop();
  });

  it('discards a half-initialised cluster from an interrupted first start', async () => {
    const dataDir = await scratchDir();
    await mkdir(join(dataDir, 'postgres.partial', 'data'), { recursive: true });
    const server = await start(dataDir);
    await expect(stat(join(dataDir, 'postgres.partial'))).rejects.toThrow(/ENOENT/);
    await server.stop();
  });

  it('names the data directory when it cannot be created', async () => {
    const error = await startEmbeddedPostgres({ dataDir: '/dev/null/atum', logger }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    expect(String(error)).toMatch(
      /cannot use the data directory \/dev\/null\/atum \(ATUM_DATA_DIR\): ENOTDIR/,
    );
  });
});
