// `node apps/server/src/cli/audit-verify.ts`: checks the audit log's hash chains (SPEC §7) in
// DATABASE_URL's database, or in the embedded one under ATUM_DATA_DIR when DATABASE_URL is unset. Exits 0
// when intact, 2 when a chain is broken (1 stays what runEntrypoint means: the check could not run).
// It reads the whole log, so it is an operator command, not something to run per request.
import {
  createLogger,
  loadConfig,
  openOrm,
  runEntrypoint,
  startEmbeddedPostgres,
  verifyAuditChains,
} from '@atum-desk/core/server';

runEntrypoint('atum-desk audit:verify', async () => {
  // biome-ignore lint/style/noProcessEnv: the one place this command reads its environment
  const config = loadConfig(process.env);
  const logger = createLogger({ name: 'audit-verify', level: config.logLevel });
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  try {
    const orm = await openOrm(config.databaseUrl ?? (embedded?.url as string), { poolSize: 1 });
    try {
      const result = await verifyAuditChains(orm.em.fork());
      if (result.ok) {
        process.stdout.write(`audit log intact: ${result.rows} rows in ${result.chains} chains\n`);
        return;
      }
      process.stdout.write(
        result.breaks
          .map(
            (found) =>
              `chain ${found.organizationId ?? 'system'}: ${found.reason} at chain_seq ${found.chainSeq} (row ${found.id ?? '?'}): expected ${found.expected ?? '?'}, found ${found.found ?? 'null'}\n`,
          )
          .join(''),
      );
      // Not process.exit: the ORM and the embedded database still close in the finally blocks.
      process.exitCode = 2;
    } finally {
      await orm.close(true);
    }
  } finally {
    await embedded?.stop();
  }
});
