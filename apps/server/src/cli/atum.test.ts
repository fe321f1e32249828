import { useTestDatabase } from '@atum-desk/test-helpers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAtum } from '../infra/test-processes.ts';

// `atum-desk` as an operator runs it: a real process against this file's own database.
const db = useTestDatabase();
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

function atum(args: string[], input?: string) {
  return runAtum(args, { DATABASE_URL: db.url, SUDO_USER: 'operator-ann' }, input);
}

async function auditRows(action: string, entityId: string) {
  const { rows } = await client.query<{ actor_id: string | null; user_agent: string | null }>(
    'select actor_id, user_agent from audit_log where action = $1 and entity_id = $2',
    [action, entityId],
  );
  return rows;
}

async function passwordHashOf(email: string): Promise<string> {
  const { rows } = await client.query<{ password_hash: string }>(
    'select password_hash from users where email = $1',
    [email],
  );
  return rows[0]?.password_hash ?? '';
}

async function verifies(email: string, password: string): Promise<boolean> {
  const { verifyPassword } = await import('@atum-desk/core/server');
  return verifyPassword(await passwordHashOf(email), password);
}

describe('atum-desk org and user commands', () => {
  it('creates an organization, audited as the CLI and the operator who ran it', async () => {
    const result = await atum(['org', 'create', '--name', 'Acme Ltd', '--slug', 'acme-cli']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const id = /^organization acme-cli created: ([0-9a-f-]{36})\n$/.exec(result.stdout)?.[1];
    expect(id).toBeDefined();
    expect(await auditRows('organization.created', id as string)).toEqual([
      { actor_id: null, user_agent: 'atum-desk-cli (operator-ann)' },
    ]);
    const list = await atum(['org', 'list']);
    expect(list.stdout).toContain(`${id}  acme-cli  Acme Ltd\n`);
  });

  it('creates a customer in an organization named by its slug, with a generated password shown once', async () => {
    const result = await atum([
      'user',
      'create',
      '--email',
      'Alice@Acme.example',
      '--name',
      'Alice',
      '--role',
      'CUSTOMER_ADMIN',
      '--org',
      'acme-cli',
    ]);
    expect(result.code).toBe(0);
    const [, id, password] =
      /^user alice@acme\.example \(CUSTOMER_ADMIN\) created: ([0-9a-f-]{36})\npassword: (\S{24})\n$/.exec(
        result.stdout,
      ) ?? [];
    expect(await verifies('alice@acme.example', password as string)).toBe(true);
    expect(await auditRows('user.created', id as string)).toHaveLength(1);
  });

  it('creates staff with a password from stdin and prints no password', async () => {
    const result = await atum(
      [
        'user',
        'create',
        '--email',
        'boss@atum.example',
        '--name',
        'Boss',
        '--role',
        'ADMIN',
        '--password-stdin',
      ],
      'a long enough secret\n',
    );
    expect(result.stdout).toMatch(/^user boss@atum\.example \(ADMIN\) created: [0-9a-f-]{36}\n$/);
    expect(await verifies('boss@atum.example', 'a long enough secret')).toBe(true);
  });

  it('names the problem in one line: a taken e-mail, a customer without organization, a short password', async () => {
    const taken = await atum([
      'user',
      'create',
      '--email',
      'boss@atum.example',
      '--name',
      'Again',
      '--role',
      'AGENT',
    ]);
    expect(taken).toMatchObject({
      code: 1,
      stderr: 'atum-desk: a user with this e-mail address already exists (email)\n',
    });
    const orphan = await atum([
      'user',
      'create',
      '--email',
      'c@x.example',
      '--name',
      'C',
      '--role',
      'CUSTOMER_USER',
    ]);
    expect(orphan).toMatchObject({ code: 1, stderr: 'atum-desk: --org: a customer needs an organization\n' });
    const short = await atum(
      ['user', 'create', '--email', 'd@atum.example', '--name', 'D', '--role', 'AGENT', '--password-stdin'],
      'short\n',
    );
    expect(short).toMatchObject({
      code: 1,
      stderr: 'atum-desk: --password-stdin: use at least 12 characters\n',
    });
    const unknown = await atum(['user', 'create', '--frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^atum-desk: user create: Unknown option '--frobnicate'/);
  });

  it('resets a password: the new one works, the old one and every session end', async () => {
    const before = await passwordHashOf('boss@atum.example');
    const {
      rows: [user],
    } = await client.query<{ id: string }>("select id from users where email = 'boss@atum.example'");
    await client.query(
      `insert into sessions (id, user_id, expires_at, created_at, last_seen_at)
       values ('cli-test-session', $1, now() + interval '1 hour', now(), now())`,
      [user?.id],
    );
    const result = await atum(['user', 'reset-password', '--email', 'BOSS@atum.example']);
    expect(result.code).toBe(0);
    const password =
      /^password of boss@atum\.example reset; their sessions are ended\npassword: (\S+)\n$/.exec(
        result.stdout,
      )?.[1];
    expect(await passwordHashOf('boss@atum.example')).not.toBe(before);
    expect(await verifies('boss@atum.example', password as string)).toBe(true);
    expect(await verifies('boss@atum.example', 'a long enough secret')).toBe(false);
    const { rowCount } = await client.query("select 1 from sessions where id = 'cli-test-session'");
    expect(rowCount).toBe(0);
    expect(await auditRows('user.password_changed', user?.id as string)).toHaveLength(1);

    const nobody = await atum(['user', 'reset-password', '--email', 'nobody@atum.example']);
    expect(nobody).toMatchObject({
      code: 1,
      stderr: 'atum-desk: user reset-password: no user has the e-mail address nobody@atum.example\n',
    });
  });

  it('lists users of one organization', async () => {
    const result = await atum(['user', 'list', '--org', 'acme-cli']);
    expect(result.stdout).toMatch(/^[0-9a-f-]{36} {2}alice@acme\.example {2}CUSTOMER_ADMIN\n$/);
  });
});

describe('atum-desk audit, outbox, config and help', () => {
  it('verifies the audit chains the commands above extended', async () => {
    const result = await atum(['audit', 'verify']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^audit log intact: \d+ rows in \d+ chains\n$/);
  });

  it('shows the outbox, newest first', async () => {
    expect(await atum(['outbox'])).toMatchObject({ code: 0, stdout: 'the outbox is empty\n', stderr: '' });
    await client.query(
      `insert into notifications (id, to_address, to_name, kind, audience, event_key, facts, subject, status, created_at)
       values (gen_random_uuid(), 'alice@acme.example', 'Alice', 'ticket_received', 'customer', 'cli-test:1', '{}',
               '[#1] We received your ticket', 'outbox', '2026-01-02T03:04:05Z')`,
    );
    const result = await atum(['outbox', '--limit', '5']);
    expect(result).toMatchObject({
      code: 0,
      stdout:
        '2026-01-02T03:04:05.000Z  outbox   ticket_received  alice@acme.example  [#1] We received your ticket\n',
    });
    const bad = await atum(['outbox', '--limit', 'many']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^atum-desk: --limit: /);
  });

  it('prints the configuration without the database password', async () => {
    const result = await runAtum(['config'], {
      DATABASE_URL: 'postgres://atum_app:s3cret-value@127.0.0.1:5432/atum_desk',
      SMTP_URL: 'smtp://mailer:mail-secret@127.0.0.1:25',
    });
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(shown.databaseUrl).toBe('postgres://atum_app:***@127.0.0.1:5432/atum_desk');
    expect(result.stdout).not.toContain('s3cret-value');
    expect(result.stdout).not.toContain('mail-secret');
  });

  it('lists its commands, and refuses an unknown one', async () => {
    const help = await runAtum(['--help'], {});
    expect(help.code).toBe(0);
    for (const command of [
      'org create',
      'user create',
      'user reset-password',
      'audit verify',
      'outbox',
      'migrate',
      'config',
    ]) {
      expect(help.stdout).toContain(`  ${command}`);
    }
    const unknown = await runAtum(['frobnicate'], {});
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/atum-desk: unknown command: frobnicate \(see the list above\)\n$/);
  });
});
