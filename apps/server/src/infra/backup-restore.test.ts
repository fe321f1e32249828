import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, DEMO_PASSWORD, loadConfig, seedDemoData } from '@atum-desk/core/server';
import { databaseUrl, dropDatabase, useTestDatabase, withAdminClient } from '@atum-desk/test-helpers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningServer, startServer } from '../server.ts';
import { multipart } from './nginx-harness.ts';
import { REPO_ROOT, requireTool, runAtum, runCommand } from './test-processes.ts';

// infra/backup.sh and infra/restore.sh against this run's PostgreSQL: tickets, comments and
// attachments made through the API, a backup, the database dropped and the uploads deleted, a restore,
// and then the same rows, the same bytes and an intact audit chain.

const db = useTestDatabase();
const serverUrl = inject('databaseServerUrl');
const BACKUP = join(REPO_ROOT, 'infra/backup.sh');
const RESTORE = join(REPO_ROOT, 'infra/restore.sh');
let dir: string;
let dataDir: string;
let envFile: string;
let server: RunningServer | undefined;
let backupDir: string;

interface Snapshot {
  tickets: unknown[];
  comments: unknown[];
  attachments: { id: string; organization_id: string; sha256: string; size_bytes: string }[];
  auditRows: number;
}

async function snapshot(): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const rows = async (sql: string) => (await client.query(sql)).rows;
    return {
      tickets: await rows(
        'select id, number, organization_id, status, priority, title, description from tickets order by id',
      ),
      comments: await rows('select id, ticket_id, author_id, body, internal from comments order by id'),
      attachments: (await rows(
        'select id, organization_id, sha256, size_bytes from attachments order by id',
      )) as Snapshot['attachments'],
      auditRows: Number((await rows('select count(*) as n from audit_log'))[0]?.n),
    };
  } finally {
    await client.end();
  }
}

async function fileSums(attachments: Snapshot['attachments']): Promise<string[]> {
  return Promise.all(
    attachments.map(async (row) =>
      createHash('sha256')
        .update(await readFile(join(dataDir, 'uploads', row.organization_id, row.id)))
        .digest('hex'),
    ),
  );
}

function script(path: string, args: string[]) {
  // biome-ignore lint/style/noProcessEnv: the scripts need the tools on PATH (pg_dump, tar, sha256sum)
  return runCommand(path, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
}

beforeAll(async () => {
  await requireTool('pg_dump');
  await requireTool('pg_restore');
  await requireTool('psql');
  dir = await mkdtemp(join(tmpdir(), 'atum-backup-'));
  dataDir = join(dir, 'data');
  await mkdir(dataDir);
  envFile = join(dir, 'atum-desk.env');
  await writeFile(envFile, `# test\nDATABASE_URL=${db.url}\nATUM_DATA_DIR=${dataDir}\n`);

  server = await startServer(
    loadConfig({
      PORT: '0',
      ATUM_DATA_DIR: dataDir,
      RATE_LIMIT_TICKETS_PER_HOUR: '0',
      RATE_LIMIT_API_PER_MINUTE: '0',
    }),
    db.url,
    createLogger({ name: 'test', level: 'silent' }),
  );
  await seedDemoData(server.orm.em.fork());
  const base = `${server.url}/api/v1`;
  const login = async (email: string) => {
    const response = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    return String(((await response.json()) as { token: string }).token);
  };
  const customer = await login('alice@acme.demo');
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return (await response.json()) as { id: string };
  };
  for (let n = 0; n < 3; n++) {
    const ticket = await call('POST', '/tickets', customer, {
      title: `Backup ticket ${n}`,
      description: `Ticket ${n} to survive a restore.`,
      priority: 'MEDIUM',
    });
    await call('POST', `/tickets/${ticket.id}/comments`, customer, { body: `First words on ${n}.` });
    for (const [name, bytes] of [
      [`log-${n}.txt`, Buffer.from(`line ${n}\n`.repeat(500 + n))],
      [`dump-${n}.zip`, zipOf(randomBytes(50_000 + n))],
    ] as const) {
      const form = multipart(name, bytes);
      const uploaded = await fetch(`${base}/tickets/${ticket.id}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${customer}`, 'content-type': form.contentType },
        body: form.body,
      });
      expect(uploaded.status, await uploaded.clone().text()).toBe(201);
    }
  }
  await server.close();
  server = undefined;
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A valid one-file ZIP (stored, no compression) around `content`: binary bytes of an allowed type. */
function zipOf(content: Buffer): Buffer {
  const name = Buffer.from('data.bin');
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + content.length, 16);
  return Buffer.concat([local, name, content, central, name, end]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('backup.sh and restore.sh', () => {
  let before: Snapshot;
  let sumsBefore: string[];

  it('backs up the database and the uploads with checksums', async () => {
    before = await snapshot();
    expect(before.tickets.length).toBeGreaterThanOrEqual(3);
    expect(before.attachments).toHaveLength(6);
    sumsBefore = await fileSums(before.attachments);
    expect(sumsBefore).toEqual(before.attachments.map((row) => row.sha256));

    const result = await script(BACKUP, ['--env-file', envFile, '--out', join(dir, 'backups')]);
    expect(result.stderr).toContain('backup complete');
    expect(result.code).toBe(0);
    backupDir = result.stdout.trim();
    expect(backupDir).toMatch(/\/backups\/atum-desk-\d{8}T\d{6}Z$/);
    expect((await readdir(backupDir)).sort()).toEqual([
      'MANIFEST',
      'SHA256SUMS',
      'database.dump',
      'uploads.tar',
    ]);
    const manifest = await readFile(join(backupDir, 'MANIFEST'), 'utf8');
    expect(manifest).toMatch(/^format: atum-desk-backup 1\n[\s\S]*uploads: 6 files\n$/);
    // The database of --env-file, never an installed host's (/etc/atum-desk/owner.env) by default.
    expect(manifest).toContain(`database: ${db.name}\n`);
    // The password never appears in a command line: pg_dump got it from PGPASSWORD.
    expect(result.stderr).not.toContain(new URL(db.url).password || '\0');
  });

  it('restores onto an emptied host: the same tickets, comments, attachment bytes and audit chain', async () => {
    await dropDatabase(serverUrl, db.name);
    await rm(join(dataDir, 'uploads'), { recursive: true });

    const result = await script(RESTORE, [
      backupDir,
      '--env-file',
      envFile,
      '--admin-url',
      databaseUrl(serverUrl, 'postgres'),
    ]);
    expect(result.stderr).toContain(`recreating database ${db.name} (owner ${new URL(db.url).username})`);
    expect(result.stderr).toMatch(
      /restored \d+ tickets, \d+ comments and 6 attachments \(every checksum matches\)/,
    );
    expect(result.code).toBe(0);

    const after = await snapshot();
    expect(after).toEqual(before);
    expect(await fileSums(after.attachments)).toEqual(sumsBefore);
    const verify = await runAtum(['audit', 'verify'], { DATABASE_URL: db.url });
    expect(verify.stdout).toBe(
      `audit log intact: ${before.auditRows} rows in ${verify.stdout.match(/in (\d+) chains/)?.[1]} chains\n`,
    );
    expect(verify.code).toBe(0);
  });

  it('refuses to replace a database that holds tickets unless told to', async () => {
    const result = await script(RESTORE, [
      backupDir,
      '--env-file',
      envFile,
      '--admin-url',
      databaseUrl(serverUrl, 'postgres'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/holds \d+ tickets; add --force to replace them with the backup\n$/);
    const forced = await script(RESTORE, [
      backupDir,
      '--force',
      '--env-file',
      envFile,
      '--admin-url',
      databaseUrl(serverUrl, 'postgres'),
    ]);
    expect(forced.code).toBe(0);
    // The uploads it replaced are kept beside the new ones.
    expect(
      (await readdir(dataDir)).filter((name) => name.startsWith('uploads.before-restore-')),
    ).toHaveLength(1);
  });

  it('refuses a superuser URL of another server than the database', async () => {
    const result = await script(RESTORE, [
      backupDir,
      '--force',
      '--env-file',
      envFile,
      '--admin-url',
      'postgres://postgres@127.0.0.1:1/postgres',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: --admin-url names another server than DATABASE_URL');
  });

  it('refuses a damaged backup before touching anything', async () => {
    await appendFile(join(backupDir, 'uploads.tar'), 'x');
    const result = await script(RESTORE, [
      backupDir,
      '--force',
      '--env-file',
      envFile,
      '--admin-url',
      databaseUrl(serverUrl, 'postgres'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the backup is damaged: a checksum does not match');
    await withAdminClient(serverUrl, async (admin) => {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [db.name]);
      expect(rowCount).toBe(1);
    });
  });
});
