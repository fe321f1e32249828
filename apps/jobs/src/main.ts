// The jobs process: `node apps/jobs/src/main.ts`. Needs DATABASE_URL (npm start passes the embedded
// database's URL to it).
import {
  ConfigError,
  createLogger,
  describeStartupError,
  loadConfig,
  migrateDatabase,
} from '@atum-desk/core/server';
import { startWorker } from './worker.ts';

async function main(): Promise<void> {
  // biome-ignore lint/style/noProcessEnv: the one place this process reads its environment
  const config = loadConfig(process.env);
  const logger = createLogger({ name: 'jobs', level: config.logLevel });
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL is required by the jobs process (npm start sets it for you)');
  }
  await migrateDatabase(config.databaseUrl, logger);
  const worker = await startWorker({ databaseUrl: config.databaseUrl, logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'stopping jobs worker');
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'jobs worker did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  // Started by `npm start`: stop when the launcher goes away, even if it could not say so.
  if (process.channel) process.once('disconnect', () => shutdown('launcher exited'));
}

main().catch((error: unknown) => {
  const line = describeStartupError(error);
  if (line) process.stderr.write(`atum-desk jobs: ${line}\n`);
  else
    process.stderr.write(
      `atum-desk jobs: unexpected start-up failure\n${error instanceof Error ? error.stack : String(error)}\n`,
    );
  process.exit(1);
});
