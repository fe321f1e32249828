import { useTestDatabase } from '@atum-desk/test-helpers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const db = useTestDatabase();
let client: pg.Client;

const ORG_A = '0196a000-0000-7000-8000-00000000000a';
const ORG_B = '0196a000-0000-7000-8000-00000000000b';

async function insertEntry(organizationId: string | null, action: string) {
  const result = await client.query<{
    id: string;
    chain_seq: string;
    prev_hash: string | null;
    hash: string;
  }>(
    `insert into audit_log (id, organization_id, action, entity_type, entity_id, new_value)
     values (gen_random_uuid(), $1, $2, 'ticket', '1', '{"status":"NEW"}') returning id, chain_seq, prev_hash, hash`,
    [organizationId, action],
  );
  const row = result.rows[0];
  if (!row) throw new Error('insert returned nothing');
  return row;
}

beforeAll(async () => {
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

describe('audit_log in PostgreSQL', () => {
  it('chains each row to the previous row of its own organization', async () => {
    const a1 = await insertEntry(ORG_A, 'ticket.created');
    const b1 = await insertEntry(ORG_B, 'ticket.created');
    const a2 = await insertEntry(ORG_A, 'ticket.accepted');
    const system = await insertEntry(null, 'auth.login_failed');

    expect([a1.chain_seq, a2.chain_seq, b1.chain_seq, system.chain_seq]).toEqual(['1', '2', '1', '1']);
    expect(a1.prev_hash).toBeNull();
    expect(a2.prev_hash).toBe(a1.hash);
    expect(b1.prev_hash).toBeNull();
    expect(a1.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set([a1.hash, a2.hash, b1.hash, system.hash]).size).toBe(4);
  });

  it('stores a hash that the row hash function reproduces', async () => {
    const { rows } = await client.query<{ ok: boolean }>(
      'select bool_and(hash = audit_log_row_hash(audit_log)) as ok from audit_log',
    );
    expect(rows[0]?.ok).toBe(true);
  });

  it('rejects UPDATE inside the database', async () => {
    await expect(client.query("update audit_log set action = 'forged'")).rejects.toThrow(
      /append-only: UPDATE/,
    );
  });

  it('rejects DELETE inside the database', async () => {
    await expect(client.query('delete from audit_log')).rejects.toThrow(/append-only: DELETE/);
  });

  it('rejects TRUNCATE inside the database', async () => {
    await expect(client.query('truncate audit_log')).rejects.toThrow(/append-only: TRUNCATE/);
  });

  it('detects a row changed behind the triggers by a superuser', async () => {
    await client.query('alter table audit_log disable trigger audit_log_no_change');
    try {
      await client.query(
        "update audit_log set action = 'forged' where organization_id = $1 and chain_seq = 1",
        [ORG_A],
      );
    } finally {
      await client.query('alter table audit_log enable trigger audit_log_no_change');
    }
    const { rows } = await client.query<{ action: string; intact: boolean }>(
      'select action, hash = audit_log_row_hash(audit_log) as intact from audit_log where organization_id = $1 order by chain_seq',
      [ORG_A],
    );
    expect(rows).toEqual([
      { action: 'forged', intact: false },
      { action: 'ticket.accepted', intact: true },
    ]);
  });
});
