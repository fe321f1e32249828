// One server process: `node apps/server/src/main.ts`, as systemd runs it. Needs DATABASE_URL; for a
// self-contained start with an embedded database and the jobs process, use `npm start` (launch.ts).
import {
  ConfigError,
  createLogger,
  describeStartupError,
  loadConfig,
  migrateDatabase,
} from '@atum-desk/core/server';
import { startServer } from './server.ts';

async function main(): Promise<void> {
  // biome-ignore lint/style/noProcessEnv: the one place this process reads its environment
  const config = loadConfig(process.env);
  const logger = createLogger({ name: 'server', level: config.logLevel });
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL is required by a lone server process (npm start embeds a database)');
  }
  await migrateDatabase(config.databaseUrl, logger);
  const server = await startServer(config, config.databaseUrl, logger);
  logger.info({ url: server.url }, 'server listening');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const line = describeStartupError(error);
  if (line) process.stderr.write(`atum-desk: ${line}\n`);
  else
    process.stderr.write(
      `atum-desk: unexpected start-up failure\n${error instanceof Error ? error.stack : String(error)}\n`,
    );
  process.exit(1);
});
