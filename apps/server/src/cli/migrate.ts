// `pnpm db:migrate`: applies pending migrations to DATABASE_URL's database, or to the embedded one
// under ATUM_DATA_DIR when DATABASE_URL is unset. Idempotent.
import {
  createLogger,
  describeStartupError,
  loadConfig,
  migrateDatabase,
  startEmbeddedPostgres,
} from '@atum-desk/core/server';

async function main(): Promise<void> {
  // biome-ignore lint/style/noProcessEnv: the one place this command reads its environment
  const config = loadConfig(process.env);
  const logger = createLogger({ name: 'migrate', level: config.logLevel });
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  try {
    const report = await migrateDatabase(config.databaseUrl ?? (embedded?.url as string), logger);
    process.stdout.write(
      report.applied.length === 0
        ? 'database is up to date\n'
        : `applied ${report.applied.length} migration(s):\n${report.applied.map((name) => `  ${name}\n`).join('')}`,
    );
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  const line = describeStartupError(error);
  process.stderr.write(
    `atum-desk db:migrate: ${line ?? (error instanceof Error ? error.stack : String(error))}\n`,
  );
  process.exit(1);
});
