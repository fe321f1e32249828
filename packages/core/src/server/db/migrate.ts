import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import pg from 'pg';
import { createLogger, type Logger, workerLogger } from '../logging/logger.ts';
import { openOrm } from './orm.ts';

/** Any constant works: it only has to be the same for every process that migrates this database. */
const MIGRATION_LOCK_KEY = 0x4154_554d; // "ATUM"

export interface MigrationReport {
  /** Names of the migrations this call applied; empty when the database was already current. */
  applied: string[];
}

/**
 * Brings a database to the current schema: our migrations, then graphile-worker's own schema (so that
 * services can enqueue jobs in their transactions before any jobs process has started). Safe to run
 * from several processes at once: a session advisory lock lets one migrate while the others wait.
 */
export async function migrateDatabase(
  databaseUrl: string,
  logger: Logger = createLogger({ name: 'migrate', level: 'warn' }),
): Promise<MigrationReport> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const orm = await openOrm(databaseUrl, { poolSize: 2 });
    let applied: string[];
    try {
      applied = (await orm.migrator.up()).map((migration) => migration.name);
    } finally {
      await orm.close();
    }
    await runWorkerMigrations({ connectionString: databaseUrl, logger: workerLogger(logger) });
    return { applied };
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
