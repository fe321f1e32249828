import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '@atum-desk/server/node-flags';
import { readRss } from './machine.ts';

// The servers under test, each in child processes of its own so their memory is their own: ATUM DESK as
// systemd runs it (`node apps/server/src/main.ts`), and the bare baseline (`node bench/baseline/server.ts`).
// Each runs as a group of identical processes on ports of their own (one by default; `--instances`), as
// the installer deploys ATUM behind nginx; the load generators deal their connections over the group.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type ServerName = 'atum' | 'baseline';

export interface ServerUnderTest {
  name: ServerName;
  pid: number;
  url: string;
  /** The command and the settings it ran with, for the report. */
  command: string;
  settings: Record<string, string>;
  /** Resident memory now and at its peak, MiB. */
  rss(): { rssMb: number; hwmMb: number } | null;
  /** Whether it is still running. */
  alive(): boolean;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  databaseUrl: string;
  /** Log file for the process's stdout and stderr. */
  logFile: string;
  poolSize: number;
  /** ATUM's LOG_LEVEL (per-request lines cost CPU; `info` is the product's default). */
  atumLogLevel: string;
  /** ATUM's data directory (uploads). */
  atumDataDir: string;
  /** NODE_ENV for ATUM; unset by default, as the systemd units and `npm start` run it. */
  atumNodeEnv?: string | undefined;
  /** NODE_OPTIONS for ATUM; unset by default. */
  atumNodeOptions?: string | undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The environment of a child: only what it needs, never the harness's own DATABASE_URL or secrets. */
function childEnvironment(extra: Record<string, string>): Record<string, string> {
  // biome-ignore lint/style/noProcessEnv: the children inherit the toolchain's PATH, nothing else
  const { PATH = '', HOME = '/tmp', LANG = 'C.UTF-8' } = process.env;
  return { PATH, HOME, LANG, ...extra };
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  name: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} during start-up`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(`${name} did not answer /api/health within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function startServerProcess(
  name: ServerName,
  options: StartServerOptions,
): Promise<ServerUnderTest> {
  const port = await freePort();
  const script = name === 'atum' ? 'apps/server/src/main.ts' : 'bench/baseline/server.ts';
  const settings: Record<string, string> =
    name === 'atum'
      ? {
          DATABASE_URL: options.databaseUrl,
          HOST: '127.0.0.1',
          PORT: String(port),
          LOG_LEVEL: options.atumLogLevel,
          DATABASE_POOL_SIZE: String(options.poolSize),
          ATUM_DATA_DIR: options.atumDataDir,
          // The per-user API limit counts every request as in production, with an allowance no run reaches
          // (a benchmark is a few users' heavy traffic). The ticket and login limits would refuse it and
          // are off; they cost one upsert where they apply.
          RATE_LIMIT_API_PER_MINUTE: '100000000',
          RATE_LIMIT_TICKETS_PER_HOUR: '0',
          RATE_LIMIT_LOGIN_FAILURES: '0',
          ...(options.atumNodeEnv ? { NODE_ENV: options.atumNodeEnv } : {}),
          ...(options.atumNodeOptions ? { NODE_OPTIONS: options.atumNodeOptions } : {}),
        }
      : {
          DATABASE_URL: options.databaseUrl,
          HOST: '127.0.0.1',
          PORT: String(port),
          DATABASE_POOL_SIZE: String(options.poolSize),
        };
  const log = createWriteStream(options.logFile, { flags: 'a' });
  // ATUM with the Node flags its systemd units give it.
  const nodeFlags = name === 'atum' ? [...SERVER_NODE_FLAGS] : [];
  const child = spawn(process.execPath, [...nodeFlags, script], {
    cwd: ROOT,
    env: childEnvironment(settings),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${name}`);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, name);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; see ${options.logFile}`);
  }
  const shown = { ...settings, DATABASE_URL: '(the data set)' };
  return {
    name,
    pid,
    url,
    command: ['node', ...nodeFlags, script].join(' '),
    settings: shown,
    rss: () => readRss(pid),
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          log.end();
          return resolve();
        }
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          log.end();
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** The processes of one server under test, started alike, each on a port of its own. */
export interface ServerGroup {
  name: ServerName;
  processes: readonly ServerUnderTest[];
  urls: string[];
  pids(): number[];
  /** Whether every process is still running. */
  alive(): boolean;
  stop(): Promise<void>;
}

/** Starts `count` processes of a server; `logFile(i)` names the log of the i-th. */
export async function startServerGroup(
  name: ServerName,
  count: number,
  options: Omit<StartServerOptions, 'logFile'> & { logFile(index: number): string },
): Promise<ServerGroup> {
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      startServerProcess(name, { ...options, logFile: options.logFile(index) }),
    ),
  );
  const processes = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await Promise.all(processes.map((process) => process.stop()));
    throw failed.reason;
  }
  return {
    name,
    processes,
    urls: processes.map((process) => process.url),
    pids: () => processes.map((process) => process.pid),
    alive: () => processes.every((process) => process.alive()),
    stop: async () => {
      await Promise.all(processes.map((process) => process.stop()));
    },
  };
}

/**
 * Samples the resident memory of each process every `intervalMs` until stopped; returns each one's
 * largest sample, in the order of `processes`.
 */
export function sampleRss(processes: readonly ServerUnderTest[], intervalMs = 200): { stop(): number[] } {
  const peaks = processes.map((process) => process.rss()?.rssMb ?? 0);
  const sample = () => {
    processes.forEach((process, index) => {
      const now = process.rss();
      if (now && now.rssMb > (peaks[index] ?? 0)) peaks[index] = now.rssMb;
    });
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}
