import { databaseGlobalSetup } from '@atum-desk/test-helpers/global-setup';
import { startEmbeddedPostgres } from './src/server/db/embedded-postgres.ts';
import { migrateDatabase } from './src/server/db/migrate.ts';
import { createLogger } from './src/server/logging/logger.ts';

const logger = createLogger({ name: 'test-db', level: 'warn' });

export default databaseGlobalSetup({
  migrate: (url) => migrateDatabase(url, logger),
  startServer: (dataDir) => startEmbeddedPostgres({ dataDir, logger }),
});
