import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, withAdminClient } from '@atum-desk/test-helpers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  baseEnv,
  freePort,
  JOBS_MAIN,
  runAtum,
  SERVER_MAIN,
  type Started,
  startProcess,
  waitFor,
} from '../infra/test-processes.ts';

// The production split of database roles (docs/RUNBOOK.md, "Database roles"), as infra/install.sh sets
// it up: an owner role that migrates, an application role that the server and jobs processes use. Roles
// are cluster-wide, so their names carry a random suffix and are dropped afterwards.
const serverUrl = inject('databaseServerUrl');
const suffix = randomBytes(4).toString('hex');
const owner = `atum_owner_${suffix}`;
const app = `atum_app_${suffix}`;
const database = `atum_roles_${suffix}`;
const ownerPassword = randomBytes(12).toString('hex');
const appPassword = randomBytes(12).toString('hex');
const started: Started[] = [];
let dataDir: string;
let appClient: pg.Client;

function urlAs(role: string, password: string): string {
  const url = new URL(databaseUrl(serverUrl, database));
  url.username = role;
  url.password = password;
  return url.toString();
}
const ownerUrl = () => urlAs(owner, ownerPassword);
const appUrl = () => urlAs(app, appPassword);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'atum-roles-'));
  // What install.sh does as the postgres superuser.
  await withAdminClient(serverUrl, async (admin) => {
    await admin.query(`create role ${owner} login password '${ownerPassword}'`);
    await admin.query(`create role ${app} login password '${appPassword}'`);
    await admin.query(`create database ${database} owner ${owner}`);
  });
}, 60_000);

afterAll(async () => {
  await appClient?.end().catch(() => undefined);
  for (const process of started.reverse()) await process.stop();
  await withAdminClient(serverUrl, async (admin) => {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`drop role if exists ${app}`);
    await admin.query(`drop role if exists ${owner}`);
  });
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

async function expectDenied(sql: string): Promise<void> {
  await expect(appClient.query(sql), sql).rejects.toMatchObject({ code: '42501' });
}

describe('atum-desk migrate --app-role', () => {
  it('migrates as the owner, then grants the application role', async () => {
    const result = await runAtum(['migrate', '--app-role', app], { DATABASE_URL: ownerUrl() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^applied \d+ migration\(s\):\n/);
    expect(result.stdout).toContain(`granted ${app} least privilege on ${database}\n`);

    const again = await runAtum(['migrate', '--app-role', app], { DATABASE_URL: ownerUrl() });
    expect(again.stdout).toBe(`database is up to date\ngranted ${app} least privilege on ${database}\n`);

    appClient = new pg.Client({ connectionString: appUrl() });
    await appClient.connect();
  });

  it('leaves the application role unable to change or empty the audit log', async () => {
    await appClient.query(
      "insert into audit_log (id, action, entity_type, entity_id) values (gen_random_uuid(), 'test.appended', 'test', '1')",
    );
    await expectDenied("update audit_log set action = 'forged'");
    await expectDenied('delete from audit_log');
    await expectDenied('truncate audit_log');
    await expectDenied('alter table audit_log disable trigger audit_log_no_change');
  });

  it('leaves it unable to change the schema, create extensions or record migrations', async () => {
    await expectDenied('create table intruder (id int)');
    await expectDenied('create schema intruder');
    await expectDenied('create extension if not exists pgcrypto');
    await expectDenied('create function intruder() returns int language sql as $$ select 1 $$');
    await expectDenied("insert into schema_migrations (name) values ('Migration99999999999999_forged')");
    await expectDenied('delete from graphile_worker.migrations');
    await expectDenied('drop table tickets');
    const {
      rows: [owned],
    } = await appClient.query<{ count: string }>(
      'select count(*) from pg_class where relowner = (select oid from pg_roles where rolname = current_user)',
    );
    expect(owned?.count).toBe('0');
  });

  it('refuses to make a superuser the application role', async () => {
    const superuser = new URL(serverUrl).username;
    const result = await runAtum(['migrate', '--app-role', superuser], { DATABASE_URL: ownerUrl() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'is a superuser or may create roles or databases or bypass RLS; it must not',
    );
  });

  it('is enough to run the server, the jobs worker and the CLI', async () => {
    const admin = await runAtum(
      ['user', 'create', '--email', 'admin@roles.example', '--name', 'Admin', '--role', 'ADMIN'],
      { DATABASE_URL: appUrl() },
    );
    expect(admin.stderr).toBe('');
    const password = /password: (\S+)/.exec(admin.stdout)?.[1] as string;

    const port = await freePort();
    const env = baseEnv({ DATABASE_URL: appUrl(), PORT: String(port), ATUM_DATA_DIR: dataDir });
    const server = startProcess(process.execPath, [SERVER_MAIN], env);
    started.push(server);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/api/health`, (status) => status === 200, server);

    const jobs = startProcess(process.execPath, [JOBS_MAIN], env);
    started.push(jobs);
    // The heartbeat runs at start: graphile-worker reads and writes its queue as the application role.
    await waitFor(`${base}/api/health`, (_status, body) => JSON.parse(body).jobs === 'ok', jobs);

    const api = async (path: string, token: string | null, body?: unknown) => {
      const response = await fetch(`${base}/api/v1${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const signIn = async (email: string, secret: string) =>
      String((await api('/auth/login', null, { email, password: secret })).body.token);

    const adminToken = await signIn('admin@roles.example', password);
    const organization = await api('/orgs', adminToken, { name: 'Roles Ltd', slug: 'roles' });
    expect(organization.status).toBe(200);
    const customer = await runAtum(
      [
        'user',
        'create',
        '--email',
        'cat@roles.example',
        '--name',
        'Cat',
        '--role',
        'CUSTOMER_USER',
        '--org',
        'roles',
      ],
      { DATABASE_URL: appUrl() },
    );
    const customerToken = await signIn(
      'cat@roles.example',
      /password: (\S+)/.exec(customer.stdout)?.[1] as string,
    );
    // A ticket: rows, the ticket number sequence, the audit chain and a job enqueued in the transaction.
    const ticket = await api('/tickets', customerToken, {
      title: 'Least privilege',
      description: 'Created through the application role.',
      priority: 'LOW',
    });
    expect(ticket.status).toBe(200);
    const accepted = await api(`/internal/tickets/${ticket.body.id}/accept`, adminToken, {});
    expect(accepted.body.status).toBe('ACCEPTED');
    const verify = await runAtum(['audit', 'verify'], { DATABASE_URL: appUrl() });
    expect(verify.stdout).toMatch(/^audit log intact/);
  });
});
