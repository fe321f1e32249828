import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { entities } from './entities.ts';
import { migrationsList } from './migrations/index.ts';

/** Where generated migrations are written (`pnpm db:migration:create`). */
export const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url).pathname;

/** Schemas that belong to other software on the same database and are not ours to diff. */
const FOREIGN_SCHEMAS = ['graphile_worker', 'graphile_migrate'];

export interface OrmOptions {
  /** Most connections this process opens. */
  poolSize?: number;
  /** Log every SQL statement. */
  debug?: boolean;
}

/** The MikroORM configuration for one database. */
export function ormConfig(databaseUrl: string, options: OrmOptions = {}): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    // Entities are declared with defineEntity and listed explicitly: no folder scanning, no reflection.
    discovery: { warnWhenNoEntities: true },
    migrations: {
      tableName: 'schema_migrations',
      migrationsList,
      path: MIGRATIONS_DIR,
      emit: 'ts',
      snapshot: false,
      allOrNothing: true,
      transactional: true,
      silent: true,
    },
    // Triggers and functions (the audit_log guard and hash chain) are written by hand in migrations;
    // tests check their behaviour directly, so the entity diff leaves them alone.
    schemaGenerator: { ignoreSchema: FOREIGN_SCHEMAS, ignoreTriggers: true, ignoreRoutines: true },
    pool: { min: 0, max: options.poolSize ?? 10, idleTimeoutMillis: 0 },
    debug: options.debug ?? false,
    allowGlobalContext: false,
  });
}

/** Connects to the database. The caller closes the returned ORM. */
export async function openOrm(databaseUrl: string, options: OrmOptions = {}): Promise<MikroORM> {
  return MikroORM.init(ormConfig(databaseUrl, options));
}
