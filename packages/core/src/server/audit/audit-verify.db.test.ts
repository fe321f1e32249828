import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../db/orm.ts';
import { recordAudit } from './audit.service.ts';
import { verifyAuditChains } from './audit-verify.ts';

const db = useTestDatabase();
let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm(db.url);
});
afterAll(async () => {
  await orm?.close(true);
});

const org = (suffix: string) => `0196a000-0000-7000-8000-0000000000${suffix}`;
const ORG_A = org('0a');
const ORG_B = org('0b');

interface ChainRow {
  id: string;
  chain_seq: string;
  hash: string;
}

/** Appends `count` entries to a chain through the service, then reads the whole chain back. */
async function appendChain(organizationId: string | null, count: number): Promise<ChainRow[]> {
  const em = orm.em.fork();
  for (let n = 1; n <= count; n++) {
    recordAudit(
      em,
      { actorId: null, ip: '203.0.113.9', userAgent: 'vitest' },
      {
        action: 'ticket.created',
        organizationId,
        entityType: 'ticket',
        entityId: String(n),
        newValue: { n },
      },
    );
  }
  await em.flush();
  return readChain(organizationId);
}

async function readChain(organizationId: string | null): Promise<ChainRow[]> {
  return orm.em
    .fork()
    .execute<ChainRow[]>(
      `select id, chain_seq, hash from audit_log where organization_id ${organizationId === null ? 'is null' : '= ?'} order by chain_seq`,
      organizationId === null ? [] : [organizationId],
    );
}

/** Changes the log the way a database superuser could: with the append-only trigger switched off. */
async function tamper(sql: string, params: unknown[]): Promise<void> {
  const em = orm.em.fork();
  await em.execute('alter table audit_log disable trigger audit_log_no_change');
  try {
    await em.execute(sql, params);
  } finally {
    await em.execute('alter table audit_log enable trigger audit_log_no_change');
  }
}

function at(rows: ChainRow[], seq: number): ChainRow {
  const row = rows[seq - 1];
  if (!row) throw new Error(`no row ${seq}`);
  return row;
}

// The tests run in order and build on one log: intact chains first, then one broken chain per test.
describe('verifyAuditChains', () => {
  it('finds nothing to report in an empty log', async () => {
    expect(await verifyAuditChains(orm.em.fork())).toEqual({ ok: true, chains: 0, rows: 0, breaks: [] });
  });

  it('verifies an intact log of several chains and counts them', async () => {
    await appendChain(ORG_A, 3);
    await appendChain(ORG_B, 2);
    await appendChain(null, 2);
    await appendChain(ORG_A, 1);
    expect(await verifyAuditChains(orm.em.fork())).toEqual({ ok: true, chains: 3, rows: 8, breaks: [] });
  });

  it('checks only the chain asked for', async () => {
    expect(await verifyAuditChains(orm.em.fork(), { organizationId: ORG_A })).toEqual({
      ok: true,
      chains: 1,
      rows: 4,
      breaks: [],
    });
    expect(await verifyAuditChains(orm.em.fork(), { organizationId: null })).toMatchObject({
      chains: 1,
      rows: 2,
    });
    expect(await verifyAuditChains(orm.em.fork(), { organizationId: org('ff') })).toEqual({
      ok: true,
      chains: 0,
      rows: 0,
      breaks: [],
    });
  });

  it('reports a changed action as a hash mismatch at that row', async () => {
    const rows = await appendChain(org('0c'), 3);
    await tamper("update audit_log set action = 'forged' where id = ?", [at(rows, 2).id]);

    const result = await verifyAuditChains(orm.em.fork(), { organizationId: org('0c') });
    expect(result.ok).toBe(false);
    expect(result.breaks).toEqual([
      {
        organizationId: org('0c'),
        chainSeq: 2,
        id: at(rows, 2).id,
        reason: 'hash_mismatch',
        expected: expect.stringMatching(/^[0-9a-f]{64}$/),
        found: at(rows, 2).hash,
      },
    ]);
    expect(result.breaks[0]?.expected).not.toBe(at(rows, 2).hash);
  });

  it('reports a deleted middle row as a sequence gap at the row after it', async () => {
    const rows = await appendChain(org('0d'), 4);
    await tamper('delete from audit_log where id = ?', [at(rows, 2).id]);

    // Row 3 also names row 2's hash as its predecessor's; the gap is reported, being the cause.
    expect(await verifyAuditChains(orm.em.fork(), { organizationId: org('0d') })).toEqual({
      ok: false,
      chains: 1,
      rows: 3,
      breaks: [
        {
          organizationId: org('0d'),
          chainSeq: 3,
          id: at(rows, 3).id,
          reason: 'sequence_gap',
          expected: '2',
          found: '3',
        },
      ],
    });
  });

  it('reports a deleted first row as a sequence gap at the new first row', async () => {
    const rows = await appendChain(org('0e'), 2);
    await tamper('delete from audit_log where id = ?', [at(rows, 1).id]);

    expect((await verifyAuditChains(orm.em.fork(), { organizationId: org('0e') })).breaks).toEqual([
      {
        organizationId: org('0e'),
        chainSeq: 2,
        id: at(rows, 2).id,
        reason: 'sequence_gap',
        expected: '1',
        found: '2',
      },
    ]);
  });

  it('reports a rewritten hash at that row only, the first break of its chain', async () => {
    const rows = await appendChain(org('0f'), 3);
    const forged = 'f'.repeat(64);
    await tamper('update audit_log set hash = ? where id = ?', [forged, at(rows, 2).id]);

    // Row 3's prev_hash no longer matches either, but only the first break of a chain is reported.
    expect((await verifyAuditChains(orm.em.fork(), { organizationId: org('0f') })).breaks).toEqual([
      {
        organizationId: org('0f'),
        chainSeq: 2,
        id: at(rows, 2).id,
        reason: 'hash_mismatch',
        expected: at(rows, 2).hash,
        found: forged,
      },
    ]);
  });

  it("catches a forger who recomputes the row's own hash at the next row's link", async () => {
    const rows = await appendChain(org('10'), 3);
    await tamper("update audit_log set action = 'forged' where id = ?", [at(rows, 2).id]);
    await tamper('update audit_log set hash = audit_log_row_hash(audit_log) where id = ?', [at(rows, 2).id]);
    const [forgedRow] = (await readChain(org('10'))).slice(1, 2);

    expect((await verifyAuditChains(orm.em.fork(), { organizationId: org('10') })).breaks).toEqual([
      {
        organizationId: org('10'),
        chainSeq: 3,
        id: at(rows, 3).id,
        reason: 'prev_hash_mismatch',
        expected: forgedRow?.hash,
        found: at(rows, 2).hash,
      },
    ]);
  });

  it('lists the first break of every broken chain, system chain first, and leaves intact chains out', async () => {
    const system = await readChain(null);
    await tamper("update audit_log set entity_id = 'other' where id = ?", [at(system, 2).id]);

    const result = await verifyAuditChains(orm.em.fork());
    expect(result).toMatchObject({ ok: false, chains: 8, rows: 8 + 3 + 3 + 1 + 3 + 3 });
    expect(result.breaks.map((found) => [found.organizationId, found.chainSeq, found.reason])).toEqual([
      [null, 2, 'hash_mismatch'],
      [org('0c'), 2, 'hash_mismatch'],
      [org('0d'), 3, 'sequence_gap'],
      [org('0e'), 2, 'sequence_gap'],
      [org('0f'), 2, 'hash_mismatch'],
      [org('10'), 3, 'prev_hash_mismatch'],
    ]);
    expect((await verifyAuditChains(orm.em.fork(), { organizationId: ORG_A })).ok).toBe(true);
    expect((await verifyAuditChains(orm.em.fork(), { organizationId: ORG_B })).ok).toBe(true);
  });
});
