// `pnpm db:migrate`: applies pending migrations to DATABASE_URL's database, or to the embedded one
// under ATUM_DATA_DIR when DATABASE_URL is unset. Idempotent.
import {
  createLogger,
  loadConfig,
  migrateDatabase,
  runEntrypoint,
  startEmbeddedPostgres,
} from '@atum-desk/core/server';

runEntrypoint('atum-desk db:migrate', async () => {
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
});
