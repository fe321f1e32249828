import { readdir } from 'node:fs/promises';
import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from './migrate.ts';
import { migrationsList } from './migrations/index.ts';
import { MIGRATIONS_DIR, openOrm } from './orm.ts';

const db = useTestDatabase();
let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm(db.url);
});
afterAll(async () => {
  await orm?.close();
});

describe('migrations', () => {
  it('lists every migration file of the folder, in order', async () => {
    const files = (await readdir(MIGRATIONS_DIR))
      .filter((file) => /^Migration\d+_\w+\.ts$/.test(file))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(migrationsList.map((migration) => migration.name)).toEqual(files);
  });

  it('leave no difference between the entities and the migrated schema', async () => {
    const pending = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(pending.trim()).toBe('');
  });

  it('apply nothing the second time', async () => {
    const report = await migrateDatabase(db.url);
    expect(report.applied).toEqual([]);
  });

  it('install the job queue schema', async () => {
    const rows = await orm.em
      .getConnection()
      .execute<{ count: string }[]>(
        "select count(*) as count from information_schema.routines where routine_schema = 'graphile_worker' and routine_name = 'add_job'",
      );
    expect(Number(rows[0]?.count)).toBeGreaterThan(0);
  });
});
