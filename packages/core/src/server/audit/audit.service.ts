import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../db/ids.ts';
import { AuditLog } from './audit-log.entity.ts';

/** Who did something, from where; the system acts with no actor. */
export interface AuditActor {
  actorId: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditEntry {
  action: string;
  organizationId: string | null;
  entityType: string;
  entityId: string | null;
  oldValue?: unknown;
  newValue?: unknown;
}

// The insert trigger of audit_log (Migration20261122212200_audit_log_guard) takes a transaction-scoped
// advisory lock on the row's chain, one per organization, held until the transaction ends: every other
// audited write of that organization waits for it. Inserted with the change's first flush, the lock would
// cover the rest of the transaction (mail rows, timers, live-update bookkeeping) and serialize an
// organization's writes on all of it (issue #9). So inside a transaction the rows wait on the transaction
// and go in as one statement right before COMMIT, after everything else: the lock then lives for the
// insert and the commit only, and the rows still commit with the change or not at all.

/** One audit_log row as its columns; the database fills in chain_seq, prev_hash and hash. */
export interface AuditRow {
  id: string;
  organization_id: string | null;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  old_value: unknown;
  new_value: unknown;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
}

/** Rows waiting for the commit of their transaction, by transaction context (a savepoint has its own). */
const pending = new WeakMap<object, AuditRow[]>();

/** Writes the waiting rows of the committing transaction (or released savepoint), last. */
const auditOnCommit: EventSubscriber = {
  async beforeTransactionCommit(args: TransactionEventArgs) {
    const ctx = args.transaction;
    const rows = ctx ? pending.get(ctx) : undefined;
    if (!ctx || !rows) return;
    pending.delete(ctx);
    await insertAuditRows(args.em as EntityManager, rows, ctx);
  },
  afterTransactionRollback(args: TransactionEventArgs) {
    if (args.transaction) pending.delete(args.transaction);
  },
};

/**
 * Records an audit row that commits (or rolls back) with the change it describes. Inside a transaction
 * the row is inserted right before COMMIT, so the chain's lock is held as briefly as possible; outside
 * one it joins the entity manager's unit of work and goes in with the next flush. The database fills in
 * the hash chain either way.
 */
export function recordAudit(em: EntityManager, actor: AuditActor, entry: AuditEntry): void {
  const ctx = em.isInTransaction() ? em.getTransactionContext<object>() : undefined;
  if (!ctx) {
    em.create(AuditLog, {
      organizationId: entry.organizationId,
      actorId: actor.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      oldValue: entry.oldValue ?? null,
      newValue: entry.newValue ?? null,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
    });
    return;
  }
  // One subscriber object for every ORM: registering it again on the same event manager changes nothing.
  em.getEventManager().registerSubscriber(auditOnCommit);
  let rows = pending.get(ctx);
  if (!rows) {
    rows = [];
    pending.set(ctx, rows);
  }
  rows.push(auditRow(actor, entry));
}

/** The audit_log row of `entry`, for a statement that writes it with the change it describes. */
export function auditRow(actor: AuditActor, entry: AuditEntry): AuditRow {
  return {
    id: newId(),
    organization_id: entry.organizationId,
    actor_id: actor.actorId,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    old_value: entry.oldValue ?? null,
    new_value: entry.newValue ?? null,
    ip: actor.ip ?? null,
    user_agent: actor.userAgent ?? null,
    created_at: new Date().toISOString(),
  };
}

/**
 * An insert of the audit rows given as one JSON array parameter, in the array's order. `from` adds
 * relations before the rows' (`c, ` makes the rows depend on a CTE `c` having a row); `organization` is
 * the expression of a row's organization (a reply's statement takes its ticket's). The insert trigger
 * takes the chain's lock: a statement that writes audit rows should be the change's last, or the whole
 * change in one statement.
 */
export function auditInsertSql(from = '', organization = 'r.organization_id'): string {
  return `insert into audit_log
       (id, organization_id, actor_id, action, entity_type, entity_id, old_value, new_value, ip, user_agent,
        created_at)
     select r.id, ${organization}, r.actor_id, r.action, r.entity_type, r.entity_id, r.old_value,
            r.new_value, r.ip, r.user_agent, r.created_at
       from ${from}jsonb_array_elements(?::jsonb) with ordinality as e(value, ord),
            lateral jsonb_to_record(e.value) as r(
              id uuid, organization_id uuid, actor_id uuid, action text, entity_type text, entity_id text,
              old_value jsonb, new_value jsonb, ip text, user_agent text, created_at timestamptz)
      order by e.ord`;
}

/**
 * Inserts `rows` in one statement on `ctx`. Rows are ordered by chain (stable, so each chain keeps the
 * order of recording): a transaction that writes to two chains always locks them in the same order as
 * any other, so two such transactions cannot deadlock on each other's chain.
 */
async function insertAuditRows(em: EntityManager, rows: AuditRow[], ctx: object): Promise<void> {
  const chainKey = (row: AuditRow) => row.organization_id ?? '';
  const ordered = rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => chainKey(a.row).localeCompare(chainKey(b.row)) || a.index - b.index)
    .map(({ row }) => row);
  await em.getConnection().execute(auditInsertSql(), [JSON.stringify(ordered)], 'run', ctx as never);
}
