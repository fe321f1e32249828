import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { useTestDatabase } from '@atum-desk/test-helpers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const AUDIT_VERIFY = fileURLToPath(new URL('./audit-verify.ts', import.meta.url));
const db = useTestDatabase();
let client: pg.Client;

const ORG = '0196a000-0000-7000-8000-00000000000a';

beforeAll(async () => {
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  for (const organizationId of [ORG, ORG, ORG, null]) {
    await client.query(
      `insert into audit_log (id, organization_id, action, entity_type, entity_id)
       values (gen_random_uuid(), $1, 'ticket.created', 'ticket', '1')`,
      [organizationId],
    );
  }
});
afterAll(async () => {
  await client?.end();
});

async function auditVerify(env: Record<string, string>) {
  return run(process.execPath, [AUDIT_VERIFY], { env: { LOG_LEVEL: 'warn', ...env } }).then(
    (output) => ({ ...output, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => error,
  );
}

describe('the audit-verify command', () => {
  it('reports an intact log and exits 0', async () => {
    const result = await auditVerify({ DATABASE_URL: db.url });
    expect(result).toMatchObject({ code: 0, stdout: 'audit log intact: 4 rows in 2 chains\n', stderr: '' });
  });

  it('names the break and exits 2 once a superuser has changed a row', async () => {
    await client.query('alter table audit_log disable trigger audit_log_no_change');
    try {
      await client.query(
        "update audit_log set action = 'forged' where organization_id = $1 and chain_seq = 2",
        [ORG],
      );
    } finally {
      await client.query('alter table audit_log enable trigger audit_log_no_change');
    }
    const {
      rows: [row],
    } = await client.query<{ id: string; hash: string }>(
      'select id, hash from audit_log where organization_id = $1 and chain_seq = 2',
      [ORG],
    );

    const result = await auditVerify({ DATABASE_URL: db.url });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(
      new RegExp(
        `^chain ${ORG}: hash_mismatch at chain_seq 2 \\(row ${row?.id}\\): expected [0-9a-f]{64}, found ${row?.hash}\\n$`,
      ),
    );
  });
});
