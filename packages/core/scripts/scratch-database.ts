import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { openOrm } from '../src/server/db/orm.ts';

/** Runs `work` against a new empty database on the server of DATABASE_URL, then drops it. */
export async function withScratchDatabase(work: (orm: MikroORM) => Promise<void>): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL must name a PostgreSQL server for scratch databases');
  const name = `atum_scratch_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const orm = await openOrm(url.toString());
  try {
    await work(orm);
  } finally {
    await orm.close();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
}
