import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cloneDatabase, databaseUrl, dropDatabase } from '@atum-desk/test-helpers';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';

// The launcher as an operator meets it: a real process, real signals, its real output.
const LAUNCH = fileURLToPath(new URL('./launch.ts', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface Launched {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: Record<string, string>): Launched {
  let output = '';
  const child = spawn(process.execPath, [LAUNCH], {
    // biome-ignore lint/style/noProcessEnv: the child needs a PATH and nothing else of ours
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  return { child, output: () => output, exited };
}

async function waitForHealth(
  url: string,
  want: (body: Record<string, unknown>) => boolean,
  launched: Launched,
) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (launched.child.exitCode !== null) throw new Error(`launcher exited early:\n${launched.output()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      const body = (await response.json()) as Record<string, unknown>;
      if (want(body)) return body;
    } catch {
      // not listening yet
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
  throw new Error(`no healthy answer in time:\n${launched.output()}`);
}

async function waitForOutput(launched: Launched, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!launched.output().includes(text)) {
    if (Date.now() > deadline || launched.child.exitCode !== null) {
      throw new Error(`never printed ${JSON.stringify(text)}:\n${launched.output()}`);
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

describe('npm start (the launcher)', () => {
  it('starts an embedded database, the server and the jobs worker, then keeps the data across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'atum-launch-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const env = { ATUM_DATA_DIR: dataDir, PORT: String(port), ATUM_DEMO: '1' };
    const url = `http://127.0.0.1:${port}`;

    const first = launch(env);
    const health = await waitForHealth(url, (body) => body.jobs === 'ok', first);
    expect(health).toMatchObject({ status: 'ok', db: 'ok', jobs: 'ok' });
    expect(first.output()).toContain(`ATUM DESK is running at ${url}`);
    expect(first.output()).toMatch(/manager@atum\.demo\s+MANAGER/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = launch(env);
    await waitForHealth(url, (body) => body.db === 'ok', second);
    await waitForOutput(second, 'ATUM DESK is running');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    // The demo data was seeded once and survived the restart.
    expect(second.output()).not.toContain('demo data seeded');
  });

  it('stops cleanly when interrupted during start-up, leaving no database running', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'atum-launch-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const launched = launch({ ATUM_DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: 'info' });
    await waitForOutput(launched, 'initialising the embedded PostgreSQL cluster');
    launched.child.kill('SIGINT');
    expect(await launched.exited).toBe(0);
    expect(launched.output()).not.toContain('ATUM DESK is running');
    // The server removes its pid file when it has shut down.
    await expect(stat(join(dataDir, 'postgres', 'data', 'postmaster.pid'))).rejects.toThrow(/ENOENT/);
  });

  describe('refuses to start with one clear line and no stack trace', () => {
    async function failure(env: Record<string, string>): Promise<string> {
      const launched = launch(env);
      expect(await launched.exited).toBe(1);
      const output = launched.output().trim();
      expect(output.split('\n')).toHaveLength(1);
      expect(output).not.toMatch(/\n\s+at /);
      return output;
    }

    it('for a malformed DATABASE_URL', async () => {
      expect(await failure({ DATABASE_URL: 'mysql://localhost/atum' })).toMatch(
        /^atum-desk: invalid DATABASE_URL \("mysql:\/\/localhost\/atum"\): expected a postgres/,
      );
    });

    it('for an unreachable database', async () => {
      const port = await freePort();
      expect(
        await failure({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/atum`, PORT: '0' }),
      ).toMatch(/^atum-desk: cannot reach the database \(DATABASE_URL\): connection refused/);
    });

    it('for a port in use', async () => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => new Promise((resolve) => blocker.close(() => resolve())));
      const port = (blocker.address() as { port: number }).port;
      const name = await cloneDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
      cleanups.push(() => dropDatabase(inject('databaseServerUrl'), name));
      expect(
        await failure({ DATABASE_URL: databaseUrl(inject('databaseServerUrl'), name), PORT: String(port) }),
      ).toBe(`atum-desk: port ${port} on 127.0.0.1 is already in use (PORT, HOST)`);
    });

    it('for an unwritable data directory, leaving nothing behind', async () => {
      expect(await failure({ ATUM_DATA_DIR: '/dev/null/atum', PORT: '0' })).toMatch(
        /^atum-desk: the data directory \/dev\/null\/atum is not writable \(ATUM_DATA_DIR\): ENOTDIR$/,
      );
    });

    it('for a bad port number', async () => {
      expect(await failure({ PORT: 'eighty' })).toMatch(/^atum-desk: invalid PORT \("eighty"\)/);
    });
  });

  it('creates the first administrator when no user exists', async () => {
    const name = await cloneDatabase(inject('databaseServerUrl'), inject('templateDatabase'));
    const url = databaseUrl(inject('databaseServerUrl'), name);
    cleanups.push(() => dropDatabase(inject('databaseServerUrl'), name));
    const port = await freePort();
    const launched = launch({
      DATABASE_URL: url,
      PORT: String(port),
      ATUM_ADMIN_EMAIL: 'Root@Example.com',
      ATUM_ADMIN_PASSWORD: 'a long enough secret',
    });
    await waitForHealth(`http://127.0.0.1:${port}`, (body) => body.db === 'ok', launched);
    await waitForOutput(launched, 'ATUM DESK is running');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const users = await client.query('select email, role, organization_id from users');
      expect(users.rows).toEqual([{ email: 'root@example.com', role: 'ADMIN', organization_id: null }]);
      const audit = await client.query("select action from audit_log where entity_type = 'user'");
      expect(audit.rows).toEqual([{ action: 'user.created' }]);
    } finally {
      await client.end();
    }
    launched.child.kill('SIGTERM');
    expect(await launched.exited).toBe(0);
  });
});
