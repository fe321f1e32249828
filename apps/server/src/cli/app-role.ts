import { StartupError } from '@atum-desk/core/server';
import pg from 'pg';

// The least-privilege split of a production install (docs/RUNBOOK.md, "Database roles"): the schema
// belongs to an owner role that runs migrations; the server and jobs processes connect as an application
// role that may read and write rows and nothing more. `atum-desk migrate --app-role <role>` calls
// grantApplicationRole as the owner after every migration, so tables a new migration adds are covered
// too (the default privileges below cover them already; granting again repairs any drift).
//
// What the application role may NOT do, and why:
// - UPDATE, DELETE or TRUNCATE audit_log: the log is append-only (SPEC §7). The triggers already refuse
//   it; the missing privilege makes a compromised process fail before reaching them.
// - write schema_migrations or graphile_worker.migrations: only the owner changes the schema.
// - CREATE in any schema or the database (so no tables, no functions, no extensions, trusted or not).
// - own anything: ownership would let it ALTER, DROP or disable triggers on what it owns. (graphile-worker
//   expects its worker to own the queue tables, which have row-level security with no policy; a policy
//   for the application role gives it their rows instead.)

/** Schemas whose tables the application reads and writes: ours and graphile-worker's job queue. */
const APP_SCHEMAS = ['public', 'graphile_worker'] as const;

/** Tables the application may only read: the migration bookkeeping of each schema. */
const READ_ONLY_TABLES = ['public.schema_migrations', 'graphile_worker.migrations'] as const;

/** Tables the application may read and append to, never change. */
const APPEND_ONLY_TABLES = ['public.audit_log'] as const;

/** A PostgreSQL role name as this installer creates them; anything else is refused rather than quoted. */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface GrantReport {
  role: string;
  database: string;
}

/**
 * Grants `role` exactly what the server and jobs processes need in the database `client` is connected
 * to, as the owner of its schema. Idempotent. Refuses a role that is a superuser, may create roles or
 * databases, bypasses row-level security, or owns anything in this database.
 */
export async function grantApplicationRole(client: pg.Client, role: string): Promise<GrantReport> {
  if (!ROLE_NAME.test(role)) {
    throw new StartupError(`--app-role: ${JSON.stringify(role)} is not a plain role name ([a-z_][a-z0-9_]*)`);
  }
  const {
    rows: [facts],
  } = await client.query<{
    database: string;
    me: string;
    exists: boolean;
    unsafe: boolean;
    owned: string | null;
  }>(
    `select current_database() as database, current_user as me,
            exists (select 1 from pg_roles where rolname = $1) as exists,
            coalesce((select rolsuper or rolcreaterole or rolcreatedb or rolbypassrls
                      from pg_roles where rolname = $1), false) as unsafe,
            (select string_agg(c.relname, ', ' order by c.relname)
               from pg_class c join pg_roles r on r.oid = c.relowner
              where r.rolname = $1) as owned`,
    [role],
  );
  if (!facts?.exists) throw new StartupError(`--app-role: role ${role} does not exist`);
  if (facts.me === role) {
    throw new StartupError(`--app-role: ${role} is the role running the migration; use the owner role's URL`);
  }
  if (facts.unsafe) {
    throw new StartupError(
      `--app-role: ${role} is a superuser or may create roles or databases or bypass RLS; it must not`,
    );
  }
  if (facts.owned) {
    throw new StartupError(
      `--app-role: ${role} owns ${facts.owned}; reassign them to the schema owner (REASSIGN OWNED BY ${role} TO ${facts.me})`,
    );
  }

  const database = pg.escapeIdentifier(facts.database);
  const statements = [
    `revoke all on database ${database} from public`,
    `grant connect on database ${database} to ${role}`,
    'revoke create on schema public from public',
  ];
  for (const schema of APP_SCHEMAS) {
    statements.push(
      `revoke all on schema ${schema} from ${role}`,
      `grant usage on schema ${schema} to ${role}`,
      `revoke all on all tables in schema ${schema} from ${role}`,
      `grant select, insert, update, delete on all tables in schema ${schema} to ${role}`,
      `grant usage, select on all sequences in schema ${schema} to ${role}`,
      `grant execute on all functions in schema ${schema} to ${role}`,
      // Tables and sequences of later migrations: granted as they are created.
      `alter default privileges in schema ${schema} grant select, insert, update, delete on tables to ${role}`,
      `alter default privileges in schema ${schema} grant usage, select on sequences to ${role}`,
    );
  }
  // graphile-worker turns on row-level security for its queue tables and defines no policy, so that only
  // their owner sees rows. A policy per table lets the application role use the queue without owning it.
  const { rows: secured } = await client.query<{ name: string }>(
    `select format('%I.%I', schemaname, tablename) as name from pg_tables
      where schemaname = 'graphile_worker' and rowsecurity order by 1`,
  );
  for (const { name } of secured) {
    statements.push(
      `drop policy if exists ${role}_all on ${name}`,
      `create policy ${role}_all on ${name} for all to ${role} using (true) with check (true)`,
    );
  }
  for (const table of READ_ONLY_TABLES) {
    statements.push(`revoke insert, update, delete, truncate on ${table} from ${role}`);
  }
  for (const table of APPEND_ONLY_TABLES) {
    statements.push(`revoke update, delete, truncate on ${table} from ${role}`);
  }
  await client.query('begin');
  try {
    for (const statement of statements) await client.query(statement);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
  return { role, database: facts.database };
}
