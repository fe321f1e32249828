// Writes a migration for the difference between the entities and a freshly migrated database.
// Usage: pnpm --filter @atum-desk/core db:migration:create <name>
// Needs DATABASE_URL pointing at a server where it may create and drop a scratch database.
import { withScratchDatabase } from './scratch-database.ts';

const name = process.argv[2];
if (!name) {
  process.stderr.write('usage: create-migration <name>\n');
  process.exit(2);
}
await withScratchDatabase(async (orm) => {
  await orm.migrator.up();
  const result = await orm.migrator.create(undefined, false, false, name);
  process.stdout.write(result.fileName ? `wrote ${result.fileName}\n` : 'no schema changes\n');
  for (const line of result.diff.up) process.stdout.write(`  ${line}\n`);
});
