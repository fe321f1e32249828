// `npm start`: everything on one machine in one command. Starts the embedded PostgreSQL when
// DATABASE_URL is unset, migrates, creates the first admin and the demo data when asked, then runs
// the HTTP server in this process and the jobs worker as a supervised child process.
import { type ChildProcess, spawn } from 'node:child_process';
import { access, constants, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  type Config,
  createLogger,
  DEMO_PASSWORD,
  demoLogins,
  type EmbeddedPostgres,
  ensureFirstAdmin,
  type Logger,
  loadConfig,
  migrateDatabase,
  runEntrypoint,
  StartupError,
  seedDemoData,
  startEmbeddedPostgres,
  stopOnSignals,
} from '@atum-desk/core/server';
import pg from 'pg';
import { type RunningServer, startServer } from './server.ts';

const JOBS_ENTRY = fileURLToPath(import.meta.resolve('@atum-desk/jobs/main'));
/** A jobs process that crashes is restarted after this pause, doubling up to a minute. */
const JOBS_RESTART_MIN_MS = 1_000;
const JOBS_RESTART_MAX_MS = 60_000;
const JOBS_STOP_TIMEOUT_MS = 20_000;

async function ensureDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new StartupError(`the data directory ${dataDir} is not writable (ATUM_DATA_DIR): ${code}`);
  }
}

/** Fails fast, before a database is started, when the port is taken. */
async function ensurePortFree(config: Config): Promise<void> {
  if (config.port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(`port ${config.port} on ${config.host} is already in use (PORT, HOST)`)
          : new StartupError(`cannot listen on ${config.host}:${config.port} (${error.code}) (PORT, HOST)`),
      ),
    );
    probe.listen(config.port, config.host, () => probe.close(() => resolve()));
  });
}

async function ensureReachable(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs the jobs worker as a child process and restarts it when it dies unexpectedly. */
function superviseJobs(databaseUrl: string, logger: Logger) {
  let child: ChildProcess | undefined;
  let stopping = false;
  let delay = JOBS_RESTART_MIN_MS;
  let restartTimer: NodeJS.Timeout | undefined;

  const startChild = () => {
    const startedAt = Date.now();
    child = spawn(process.execPath, [JOBS_ENTRY], {
      // biome-ignore lint/style/noProcessEnv: the child inherits this process's configuration
      env: { ...process.env, DATABASE_URL: databaseUrl },
      // Its own process group: a Ctrl+C in the terminal reaches only this process, which stops the
      // children in order. The IPC channel lets the child notice if this process dies without that.
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('exit', (code, signal) => {
      child = undefined;
      if (stopping) return;
      // A child that ran for a while earns a fresh back-off.
      if (Date.now() - startedAt > JOBS_RESTART_MAX_MS) delay = JOBS_RESTART_MIN_MS;
      logger.error({ code, signal, restartInMs: delay }, 'jobs process exited; restarting');
      restartTimer = setTimeout(startChild, delay);
      delay = Math.min(delay * 2, JOBS_RESTART_MAX_MS);
    });
  };
  startChild();

  return {
    stop(): Promise<void> {
      stopping = true;
      clearTimeout(restartTimer);
      const running = child;
      if (!running) return Promise.resolve();
      return new Promise((resolve) => {
        const force = setTimeout(() => running.kill('SIGKILL'), JOBS_STOP_TIMEOUT_MS);
        running.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        running.kill('SIGTERM');
      });
    },
  };
}

function printBanner(config: Config, server: RunningServer, demo: boolean): void {
  const lines = [
    '',
    `  ATUM DESK is running at ${server.url}`,
    `    customer portal  ${server.url}/portal`,
    `    staff desk       ${server.url}/desk`,
    `    health           ${server.url}/api/health`,
  ];
  if (demo) {
    lines.push('', `  Demo logins (password ${DEMO_PASSWORD}):`);
    for (const login of demoLogins()) {
      lines.push(`    ${login.email.padEnd(22)} ${login.role.padEnd(15)} ${login.app}`);
    }
  }
  if (config.admin) lines.push('', `  Administrator: ${config.admin.email}`);
  lines.push('', '  Press Ctrl+C to stop.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

// Libraries read NODE_ENV to skip development-only work (checks, verbose errors); the launcher runs
// the product, so it is production unless told otherwise.
// biome-ignore lint/style/noProcessEnv: a process-wide mode that libraries read, set before any request
process.env.NODE_ENV ??= 'production';

runEntrypoint('atum-desk', async () => {
  // biome-ignore lint/style/noProcessEnv: the one place this process reads its environment
  const config = loadConfig(process.env);
  const logger = createLogger({ name: 'server', level: config.logLevel });
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) {
      await step().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    }
  };
  // Listening from the first moment: a Ctrl+C during start-up lets the current step finish, skips the
  // rest, then stops what has started, the database last.
  let stopRequested = false;
  const checkpoint = () => {
    if (stopRequested) throw new StartupError('start-up interrupted');
  };

  const startup = (async () => {
    await ensureDataDir(config.dataDir);
    await ensurePortFree(config);
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
      cleanups.push(() => embedded.stop());
      databaseUrl = embedded.url;
    } else {
      await ensureReachable(databaseUrl);
    }
    checkpoint();
    const report = await migrateDatabase(databaseUrl, logger);
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'database migrated');
    checkpoint();

    const server = await startServer(config, databaseUrl, logger);
    cleanups.push(() => server.close());
    if (config.admin && (await ensureFirstAdmin(server.orm.em.fork(), config.admin))) {
      logger.info({ email: config.admin.email }, 'first administrator created');
    }
    if (config.demo && (await seedDemoData(server.orm.em.fork()))) logger.info('demo data seeded');
    checkpoint();

    const jobs = superviseJobs(databaseUrl, logger);
    cleanups.push(() => jobs.stop());
    printBanner(config, server, config.demo);
  })();

  stopOnSignals(logger, async () => {
    stopRequested = true;
    await startup.catch(() => undefined);
    await cleanUp();
  });
  try {
    await startup;
  } catch (error) {
    if (stopRequested) return;
    await cleanUp();
    throw error;
  }
});
