import { Migration } from '@mikro-orm/migrations';

/**
 * The session gate (auth/session-gate.ts): a request signed in with a session its process validated
 * within the last minute carries the check of that session into its first statement instead of a
 * statement of its own. The statement calls this function in an uncorrelated subquery, which
 * PostgreSQL evaluates once (once per visibility clause for an agent, who sees tickets in two ways); it
 * answers true while the session lives and its user is still exactly who the process believed, and
 * otherwise raises SQLSTATE `AT401`, which aborts the whole statement: nothing is read out or written
 * under a session that ended. PL/pgSQL, so its one query is planned once per connection; it only reads,
 * so it does not keep a statement from a parallel plan.
 */
export class Migration20261123213000_session_gate extends Migration {
  override name = 'Migration20261123213000_session_gate';

  override up(): void {
    this.addSql(`
      create or replace function atum_session_gate(
        p_session_id text, p_user_id uuid, p_role text, p_organization_id uuid, p_email text, p_name text
      ) returns boolean
      language plpgsql stable parallel safe as $$
      begin
        perform from sessions s join users u on u.id = s.user_id
         where s.id = p_session_id and s.user_id = p_user_id and s.expires_at > now()
           and u.is_active and u.role = p_role and u.organization_id is not distinct from p_organization_id
           and u.email = p_email and u.name = p_name;
        if not found then
          raise exception 'the session ended or its user changed' using errcode = 'AT401';
        end if;
        return true;
      end
      $$;`);
  }

  override down(): void {
    this.addSql('drop function if exists atum_session_gate(text, uuid, text, uuid, text, text);');
  }
}
