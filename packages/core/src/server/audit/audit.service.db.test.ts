import { useTestDatabase } from '@atum-desk/test-helpers';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../db/orm.ts';
import { recordAudit } from './audit.service.ts';
import { verifyAuditChains } from './audit-verify.ts';

// recordAudit inside a transaction: the row goes in right before COMMIT, so the chain's advisory lock
// (taken by the insert trigger) is held for the commit only, not for the whole change.

const db = useTestDatabase();
let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm(db.url);
});
afterAll(async () => {
  await orm?.close(true);
});

const ORG = '0196a000-0000-7000-8000-0000000000a1';
const OTHER_ORG = '0196a000-0000-7000-8000-0000000000a2';

function audit(em: EntityManager, action: string, organizationId: string | null = ORG): void {
  recordAudit(
    em,
    { actorId: null, ip: '203.0.113.7', userAgent: 'vitest' },
    { action, organizationId, entityType: 'ticket', entityId: action, newValue: { action }, oldValue: 'was' },
  );
}

async function chain(organizationId: string): Promise<{ action: string; chain_seq: string }[]> {
  return orm.em
    .fork()
    .execute('select action, chain_seq from audit_log where organization_id = ? order by chain_seq', [
      organizationId,
    ]);
}

describe('recordAudit in a transaction', () => {
  it('lets another writer of the organization through while the change is still running', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let recorded!: () => void;
    const flushed = new Promise<void>((resolve) => {
      recorded = resolve;
    });
    const slow = orm.em.fork().transactional(async (tx) => {
      audit(tx, 'slow.first');
      // The change flushes and goes on with other work: its audit row is not in yet, so no lock.
      await tx.flush();
      await tx.execute('select 1');
      recorded();
      await held;
    });
    await flushed;
    // Would wait for `slow` to end if its audit row had been inserted at its flush.
    const quick = orm.em.fork().transactional(async (tx) => {
      audit(tx, 'quick.second');
    });
    const winner = await Promise.race([
      quick.then(() => 'quick'),
      new Promise((resolve) => setTimeout(() => resolve('blocked'), 3_000)),
    ]);
    release();
    await slow;
    await quick;
    expect(winner).toBe('quick');
    expect(await chain(ORG)).toEqual([
      { action: 'quick.second', chain_seq: '1' },
      { action: 'slow.first', chain_seq: '2' },
    ]);
    expect(await verifyAuditChains(orm.em.fork(), { organizationId: ORG })).toMatchObject({ ok: true });
  });

  it('writes nothing when the change rolls back, also from a rolled-back savepoint', async () => {
    await expect(
      orm.em.fork().transactional(async (tx) => {
        audit(tx, 'rolled.back');
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    await orm.em.fork().transactional(async (tx) => {
      audit(tx, 'outer.kept');
      await expect(
        tx.transactional(async (inner) => {
          audit(inner, 'inner.dropped');
          throw new Error('the inner change fails');
        }),
      ).rejects.toThrow('the inner change fails');
      await tx.transactional(async (inner) => {
        audit(inner, 'inner.kept');
      });
    });
    const actions = (await chain(ORG)).map((row) => row.action);
    expect(actions).not.toContain('rolled.back');
    expect(actions).not.toContain('inner.dropped');
    expect(actions.slice(-2).sort()).toEqual(['inner.kept', 'outer.kept']);
    expect(await verifyAuditChains(orm.em.fork())).toMatchObject({ ok: true });
  });

  it('keeps each chain intact and in order under many concurrent writers of several chains', async () => {
    const writers = Array.from({ length: 24 }, (_, index) =>
      orm.em.fork().transactional(async (tx) => {
        // Chains in different orders per writer: rows are inserted sorted by chain, so no deadlock.
        const chains = index % 2 === 0 ? [OTHER_ORG, null, OTHER_ORG] : [null, OTHER_ORG, null];
        for (const [step, organizationId] of chains.entries()) audit(tx, `w${index}.${step}`, organizationId);
        await tx.execute('select pg_sleep(0.01)');
      }),
    );
    await Promise.all(writers);
    const rows = await chain(OTHER_ORG);
    expect(rows).toHaveLength(36);
    expect(rows.map((row) => Number(row.chain_seq))).toEqual(rows.map((_, index) => index + 1));
    // Within one transaction, its rows of a chain keep the order they were recorded in.
    for (let index = 0; index < 24; index += 2) {
      const seqs = rows.filter((row) => row.action.startsWith(`w${index}.`)).map((row) => row.action);
      expect(seqs).toEqual([`w${index}.0`, `w${index}.2`]);
    }
    expect(await verifyAuditChains(orm.em.fork())).toMatchObject({ ok: true });
  });

  it('stores the values as given: JSON values, null as no value', async () => {
    const [row] = await orm.em
      .fork()
      .execute<{ old_value: unknown; new_value: unknown; ip: string; user_agent: string }[]>(
        `select old_value, new_value, ip, user_agent from audit_log where action = 'quick.second'`,
      );
    expect(row).toEqual({
      old_value: 'was',
      new_value: { action: 'quick.second' },
      ip: '203.0.113.7',
      user_agent: 'vitest',
    });
  });
});
