import type { EntityManager, PostgreSqlConnection } from '@mikro-orm/postgresql';
import type pg from 'pg';

// Plain statements on the hot paths. Inside a transaction they must run on its connection, so they go
// through the entity manager; outside one they go straight to the `pg` pool behind MikroORM (the same
// pool, connections and type parsers), which costs a third of the ORM's raw-statement path (about 60
// against 180 µs of CPU per statement here, docs/PERFORMANCE.md) on statements every request makes.
// The steps that follow commits (db/after-commit.ts) take the same way, being autocommit statements.

const pools = new WeakMap<object, Promise<pg.Pool>>();

/** The `pg` pool behind one of MikroORM's connections. */
function poolOfConnection(connection: ReturnType<EntityManager['getConnection']>): Promise<pg.Pool> {
  let pool = pools.get(connection);
  if (!pool) {
    pool = (connection as PostgreSqlConnection).getNativeClient() as Promise<pg.Pool>;
    pools.set(connection, pool);
  }
  return pool;
}

function poolOf(em: EntityManager): Promise<pg.Pool> {
  return poolOfConnection(em.getConnection());
}

/** `?` placeholders (as MikroORM writes them) to PostgreSQL's `$1, $2, …`. */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/** Statement names by text: a pooled connection parses and plans a named statement once. */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `atum_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

interface Statement {
  text: string;
  name: string;
}

/**
 * Statements by their `?` text, numbered and named: statements come in a few hundred shapes, and
 * numbering a long statement's placeholders again for every call cost tens of microseconds. Bounded,
 * in case a caller builds texts without end; past the bound a statement is numbered for each call.
 */
const statements = new Map<string, Statement>();
const MAX_REMEMBERED_STATEMENTS = 2_000;

function statementOf(sql: string): Statement {
  let statement = statements.get(sql);
  if (!statement) {
    const text = numbered(sql);
    statement = { text, name: statementName(text) };
    if (statements.size < MAX_REMEMBERED_STATEMENTS) statements.set(sql, statement);
  }
  return statement;
}

export interface QueryOptions {
  /**
   * Prepare the statement on each connection and let PostgreSQL reuse its plan (the default), or plan
   * it for every call's values: a search must be planned for its words, since a generic plan would
   * treat a word in three tickets like one in thirty thousand.
   */
  plan?: 'cached' | 'per-call';
}

/**
 * Runs one statement with `?` placeholders and returns its rows: on the transaction's connection when
 * `em` is in one, else on a pooled connection, as a prepared statement unless told otherwise. Statements
 * must not contain a literal `?`.
 */
export async function queryRows<T>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions = {},
): Promise<T[]> {
  if (em.isInTransaction()) return em.execute<T[]>(sql, [...params]);
  return poolRows(await poolOf(em), sql, params, options);
}

/**
 * Runs one autocommit statement with `?` placeholders on a pooled connection of `connection`, never in
 * a transaction: for the work that follows commits (db/after-commit.ts), which runs outside every
 * request's transaction.
 */
export async function connectionRows<T>(
  connection: ReturnType<EntityManager['getConnection']>,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions = {},
): Promise<T[]> {
  return poolRows(await poolOfConnection(connection), sql, params, options);
}

async function poolRows<T>(
  pool: pg.Pool,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions,
): Promise<T[]> {
  const statement = statementOf(sql);
  const values = params as unknown[];
  const result =
    options.plan === 'per-call'
      ? await pool.query(statement.text, values)
      : await pool.query({ name: statement.name, text: statement.text, values });
  return result.rows as T[];
}
