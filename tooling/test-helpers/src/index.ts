import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the PostgreSQL server the test run uses, without a database name. */
    databaseServerUrl: string;
    /** A migrated database to clone; nobody connects to it after global setup. */
    templateDatabase: string;
  }
}

export interface TestDatabase {
  /** Connection URL of this test file's own database; set once `beforeAll` has run. */
  readonly url: string;
  readonly name: string;
}

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` with a connection to the server's maintenance database. */
export async function withAdminClient<T>(
  serverUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a database cloned from `template` (a file-copy, much faster than migrating again). */
export async function cloneDatabase(
  serverUrl: string,
  template: string,
  prefix = 'atum_test',
): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, async (client) => {
    // Two clones of one template at the same instant can collide on the template's lock; retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database ${name} template ${template}`);
        return;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((wake) => setTimeout(wake, 100 + attempt * 50));
      }
    }
  });
  return name;
}

/** Drops a database, closing whatever connections a test left open. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
}

/**
 * Gives the calling test file its own freshly migrated database: cloned from the run's template in
 * `beforeAll`, dropped in `afterAll`.
 */
export function useTestDatabase(): TestDatabase {
  const serverUrl = inject('databaseServerUrl');
  const template = inject('templateDatabase');
  let name: string | undefined;
  beforeAll(async () => {
    name = await cloneDatabase(serverUrl, template);
  }, 60_000);
  afterAll(async () => {
    if (name) await dropDatabase(serverUrl, name);
  }, 60_000);
  return {
    get name() {
      if (!name) throw new Error('the test database exists only from beforeAll on');
      return name;
    },
    get url() {
      return databaseUrl(serverUrl, this.name);
    },
  };
}
