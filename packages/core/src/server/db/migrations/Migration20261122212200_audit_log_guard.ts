import { Migration } from '@mikro-orm/migrations';

/**
 * Makes audit_log append-only inside PostgreSQL and chains every row to the one before it.
 *
 * One chain per organization and one for system-wide actions (organization_id null). The insert
 * trigger takes a transaction-scoped advisory lock on the row's chain, so writers of one organization
 * queue behind each other while other organizations are untouched, then sets chain_seq, prev_hash and
 * hash = sha256 of the row's fields and the previous hash. `audit_log_row_hash` is also what the
 * verification recomputes, so the two can never disagree on the encoding.
 */
export class Migration20261122212200_audit_log_guard extends Migration {
  override name = 'Migration20261122212200_audit_log_guard';

  override up(): void {
    this.addSql(`
      create function audit_log_row_hash(r audit_log) returns text
      language sql immutable parallel safe as $$
        select encode(sha256(convert_to(json_build_array(
          r.chain_seq, r.prev_hash, r.id, r.organization_id, r.actor_id, r.action, r.entity_type,
          r.entity_id, r.old_value, r.new_value, r.ip, r.user_agent,
          to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        )::text, 'UTF8')), 'hex')
      $$;`);
    this.addSql(`
      create function audit_log_chain() returns trigger
      language plpgsql as $$
      declare
        last_seq bigint;
        last_hash text;
      begin
        perform pg_advisory_xact_lock(
          hashtextextended('audit_log:' || coalesce(new.organization_id::text, 'system'), 0));
        if new.organization_id is null then
          select chain_seq, hash into last_seq, last_hash from audit_log
            where organization_id is null order by chain_seq desc limit 1;
        else
          select chain_seq, hash into last_seq, last_hash from audit_log
            where organization_id = new.organization_id order by chain_seq desc limit 1;
        end if;
        new.chain_seq := coalesce(last_seq, 0) + 1;
        new.prev_hash := last_hash;
        new.hash := audit_log_row_hash(new);
        return new;
      end
      $$;`);
    this.addSql(`
      create function audit_log_reject_change() returns trigger
      language plpgsql as $$
      begin
        raise exception 'audit_log is append-only: % is not allowed', tg_op
          using errcode = 'insufficient_privilege';
      end
      $$;`);
    this.addSql(
      'create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain();',
    );
    this.addSql(
      'create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_reject_change();',
    );
    this.addSql(
      'create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_reject_change();',
    );
  }
}
