import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { ZAuditChainBreak, ZAuditVerification } from '../../domain/audit/audit.schema.ts';

/** Where and how one audit chain stops being intact (the schema's field docs live in the domain). */
export type AuditChainBreak = z.infer<typeof ZAuditChainBreak>;

/** The outcome of checking the audit chains. */
export type AuditVerification = z.infer<typeof ZAuditVerification>;

export interface VerifyAuditChainsOptions {
  /** One chain only: an organization's id, or null for the system chain. */
  organizationId?: string | null;
}

interface BreakRow {
  organization_id: string | null;
  chain_seq: string;
  id: string;
  reason: AuditChainBreak['reason'];
  expected: string | null;
  found: string | null;
}

/**
 * Recomputes every row's hash with `audit_log_row_hash` (the trigger's own definition) and checks each
 * row against the one before it in its chain, reporting the first break of each chain.
 *
 * It reads the whole log (or one chain) in one statement: fine for an operator command, not for a
 * request. Rows deleted from the end of a chain leave no trace here; only hashes kept outside the
 * database could show that (docs/ARCHITECTURE.md, "The audit log").
 */
export async function verifyAuditChains(
  em: EntityManager,
  options: VerifyAuditChainsOptions = {},
): Promise<AuditVerification> {
  const { organizationId } = options;
  const scope =
    organizationId === undefined
      ? { where: '', params: [] }
      : organizationId === null
        ? { where: 'where organization_id is null', params: [] }
        : { where: 'where organization_id = ?::uuid', params: [organizationId] };

  // Checks run in order of cause: a missing predecessor explains a wrong prev_hash, and a wrong
  // prev_hash still hashes consistently, so each row reports the reason nearest its cause. Rows sort
  // by chain_seq, so the first reported row of a chain is where it first stops making sense.
  const rows = await em.execute<
    (BreakRow & { row_count: string; chain_count: string; kind: 'break' | 'totals' })[]
  >(
    `with checked as (
       select organization_id, chain_seq, id, hash, prev_hash,
              audit_log_row_hash(audit_log) as computed_hash,
              lag(hash) over chain as previous_hash,
              lag(chain_seq) over chain as previous_seq,
              row_number() over chain as position
       from audit_log
       ${scope.where}
       window chain as (partition by organization_id order by chain_seq)
     ),
     judged as (
       select *,
              case
                when chain_seq is distinct from coalesce(previous_seq, 0) + 1 then 'sequence_gap'
                when prev_hash is distinct from previous_hash then 'prev_hash_mismatch'
                when hash is distinct from computed_hash then 'hash_mismatch'
              end as reason
       from checked
     ),
     first_breaks as (
       select distinct on (organization_id)
              organization_id, coalesce(chain_seq, coalesce(previous_seq, 0) + 1) as chain_seq, id, reason,
              case reason
                when 'sequence_gap' then (coalesce(previous_seq, 0) + 1)::text
                when 'prev_hash_mismatch' then previous_hash
                else computed_hash
              end as expected,
              case reason
                when 'sequence_gap' then chain_seq::text
                when 'prev_hash_mismatch' then prev_hash
                else hash
              end as found
       from judged
       where reason is not null
       order by organization_id, chain_seq
     )
     select 'totals' as kind, count(*) as row_count, count(*) filter (where position = 1) as chain_count,
            null::uuid as organization_id, null::bigint as chain_seq, null::uuid as id, null as reason,
            null as expected, null as found
     from checked
     union all
     select 'break', null, null, organization_id, chain_seq, id, reason, expected, found
     from first_breaks
     order by kind desc, organization_id nulls first`,
    scope.params,
  );

  const totals = rows.find((row) => row.kind === 'totals');
  const breaks = rows
    .filter((row) => row.kind === 'break')
    .map(
      (row): AuditChainBreak => ({
        organizationId: row.organization_id,
        chainSeq: Number(row.chain_seq),
        id: row.id,
        reason: row.reason,
        expected: row.expected ?? undefined,
        found: row.found,
      }),
    );
  return {
    ok: breaks.length === 0,
    chains: Number(totals?.chain_count ?? 0),
    rows: Number(totals?.row_count ?? 0),
    breaks,
  };
}
