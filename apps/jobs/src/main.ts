// The jobs process: `node apps/jobs/src/main.ts`. Needs DATABASE_URL (npm start passes the embedded
// database's URL to it).
import {
  ConfigError,
  createLogger,
  loadConfig,
  migrateDatabase,
  runEntrypoint,
  stopOnSignals,
} from '@atum-desk/core/server';
import { startWorker } from './worker.ts';

runEntrypoint('atum-desk jobs', async () => {
  // biome-ignore lint/style/noProcessEnv: the one place this process reads its environment
  const config = loadConfig(process.env);
  const logger = createLogger({ name: 'jobs', level: config.logLevel });
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL is required by the jobs process (npm start sets it for you)');
  }
  await migrateDatabase(config.databaseUrl, logger);
  const worker = await startWorker({
    databaseUrl: config.databaseUrl,
    logger,
    autoCloseDays: config.autoCloseDays,
    config,
  });
  const stop = stopOnSignals(logger, () => worker.stop());
  // Started by `npm start`: stop when the launcher goes away, even if it could not say so.
  if (process.channel) process.once('disconnect', () => stop('launcher exited'));
});
