import { join } from 'node:path';
import { type EmbeddedPostgres, type Logger, startEmbeddedPostgres } from '@atum-desk/core/server';
import pg from 'pg';

// Where the benchmark's databases live. Like the product: with DATABASE_URL unset, an embedded
// PostgreSQL (here under bench/.data, kept across runs so a generated data set is reused); with
// DATABASE_URL set, that server. Either way each data set is its own database, `atum_bench_<name>`,
// next to the one the URL names.

export interface DatabaseServer {
  /** How the server was found, for the report. */
  kind: 'embedded' | 'DATABASE_URL';
  /** The URL of the database `name` on this server. */
  urlOf(name: string): string;
  /** The URL of the maintenance database, to create and drop the data-set databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** The folder of the bench's embedded cluster (git-ignored). */
export const BENCH_DATA_DIR = new URL('../.data/', import.meta.url).pathname;

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Connects to DATABASE_URL's server, or starts the embedded one. */
export async function openDatabaseServer(
  databaseUrl: string | undefined,
  logger: Logger,
  dataDir: string = BENCH_DATA_DIR,
): Promise<DatabaseServer> {
  if (databaseUrl) {
    return {
      kind: 'DATABASE_URL',
      urlOf: (name) => withDatabase(databaseUrl, name),
      adminUrl: withDatabase(databaseUrl, 'postgres'),
      stop: async () => undefined,
    };
  }
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: join(dataDir), logger });
  return {
    kind: 'embedded',
    urlOf: (name) => withDatabase(embedded.url, name),
    adminUrl: withDatabase(embedded.url, 'postgres'),
    stop: () => embedded.stop(),
  };
}

/** Runs `work` with one client connected to `url`, and always disconnects. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The server's version string (`PostgreSQL 15.18 on x86_64…`). */
export async function serverVersion(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const result = await client.query<{ version: string }>('select version()');
    return result.rows[0]?.version ?? 'unknown';
  });
}

/** Quotes an identifier for SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
