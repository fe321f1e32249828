import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { databaseUrl, dropDatabase, withAdminClient } from '@atum-desk/test-helpers';
import { afterAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const MIGRATE = fileURLToPath(new URL('./migrate.ts', import.meta.url));
const serverUrl = inject('databaseServerUrl');
const name = `atum_migrate_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  await dropDatabase(serverUrl, name);
});

async function migrate(env: Record<string, string>) {
  return run(process.execPath, [MIGRATE], { env: { LOG_LEVEL: 'warn', ...env } }).catch(
    (error: { stdout: string; stderr: string; code: number }) => error,
  );
}

describe('pnpm db:migrate', () => {
  it('migrates an empty database, then has nothing left to do', async () => {
    await withAdminClient(serverUrl, (client) => client.query(`create database ${name}`));
    const env = { DATABASE_URL: databaseUrl(serverUrl, name) };
    const first = await migrate(env);
    expect(first.stdout).toMatch(/^applied \d+ migration\(s\):\n {2}Migration\d+_initial\n/);
    const second = await migrate(env);
    expect(second.stdout).toBe('database is up to date\n');
  });

  it('names the problem when the database does not exist', async () => {
    const result = await migrate({ DATABASE_URL: databaseUrl(serverUrl, 'atum_no_such_database') });
    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stderr.trim()).toBe(
      'atum-desk db:migrate: the database refused the connection (DATABASE_URL): the database does not exist',
    );
  });
});
