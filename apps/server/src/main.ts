// One server process: `node apps/server/src/main.ts`, as systemd runs it. Needs DATABASE_URL; for a
// self-contained start with an embedded database and the jobs process, use `npm start` (launch.ts).
import {
  ConfigError,
  createLogger,
  loadConfig,
  migrateDatabase,
  runEntrypoint,
  stopOnSignals,
} from '@atum-desk/core/server';
import { startServer } from './server.ts';

// Libraries read NODE_ENV to skip development-only work (checks, verbose errors); as systemd runs it,
// a server is in production unless told otherwise.
// biome-ignore lint/style/noProcessEnv: a process-wide mode that libraries read, set before any request
process.env.NODE_ENV ??= 'production';

runEntrypoint('atum-desk', async () => {
  // biome-ignore lint/style/noProcessEnv: the one place this process reads its environment
  const config = loadConfig(process.env);
  const logger = createLogger({ name: 'server', level: config.logLevel });
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL is required by a lone server process (npm start embeds a database)');
  }
  await migrateDatabase(config.databaseUrl, logger);
  const server = await startServer(config, config.databaseUrl, logger);
  logger.info({ url: server.url }, 'server listening');
  stopOnSignals(logger, () => server.close());
});
