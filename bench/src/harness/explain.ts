import {
  addComment,
  createContextFactory,
  createLogger,
  createTicket,
  getTicketDetail,
  listTickets,
  loadConfig,
  type MikroORM,
  openOrm,
  type Scope,
} from '@atum-desk/core/server';
import pg from 'pg';
import type { BenchUser, Fixtures } from './fixtures.ts';

// Where the time of a request goes inside PostgreSQL. The product's own service functions run once per
// request shape with a representative caller, every statement they send is captured (MikroORM's
// onQuery hook), and each is run again under EXPLAIN (ANALYZE, BUFFERS). A statement the product sends
// prepared (named, so PostgreSQL may keep one generic plan for it) is explained as it runs there: its
// generic plan, forced with `plan_cache_mode`; a custom plan, planned for the values, can hide a generic
// plan that is far worse (docs/PERFORMANCE.md, "Query plans that mattered"). Statements that write are
// explained inside a transaction that is rolled back. The plans come from the product's real queries, so
// they follow the code as it changes.

export interface ExplainedStatement {
  sql: string;
  params: unknown[];
  /** Execution time reported by EXPLAIN ANALYZE, ms. */
  executionMs: number;
  planningMs: number;
  /** The plan explained: a prepared statement's generic plan, or one planned for the values. */
  kind: 'generic' | 'custom';
  /** Shared buffers hit and read by the whole plan. */
  sharedHit: number;
  sharedRead: number;
  plan: string;
}

export interface ExplainedShape {
  shape: string;
  /** Who asked, and what. */
  call: string;
  statements: ExplainedStatement[];
}

/** Thrown to roll back a transaction on purpose. */
class RolledBack extends Error {}

interface Captured {
  sql: string;
  params: unknown[];
  /** Sent as a named (prepared) statement. */
  prepared: boolean;
}

/** `?` placeholders (MikroORM's) to `$n` (PostgreSQL's), outside quoted strings and identifiers. */
function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

function scopeOf(user: BenchUser): Scope {
  return {
    actorId: user.id,
    role: user.role,
    organizationId: user.organizationId,
    ip: null,
    userAgent: null,
  };
}

/** A prepared statement's values as EXECUTE's argument list, or null for a value with no plain literal. */
function executeArguments(client: pg.Client, params: readonly unknown[]): string | null {
  const literals: string[] = [];
  for (const value of params) {
    if (value === null || value === undefined) literals.push('null');
    else if (value instanceof Date) literals.push(client.escapeLiteral(value.toISOString()));
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      literals.push(client.escapeLiteral(String(value)));
    else return null;
  }
  return literals.join(', ');
}

async function explainOne(client: pg.Client, statement: Captured): Promise<ExplainedStatement | null> {
  const sql = numberPlaceholders(statement.sql);
  if (!/^\s*(select|insert|update|delete|with)\b/i.test(sql)) return null;
  // Catalog lookups, not the work of a request (a write that also returns its transaction id is kept).
  if (/pg_database|^\s*select\s+pg_current_xact_id/i.test(sql)) return null;
  // EXECUTE takes no bind parameters, so a prepared statement's values are written as literals.
  const literals = statement.prepared ? executeArguments(client, statement.params) : null;
  let result: pg.QueryResult<{ 'QUERY PLAN': string }>;
  if (literals !== null) {
    // Inside the caller's transaction, so the setting goes with its rollback.
    await client.query(`prepare atum_explained as ${sql}`);
    await client.query('set local plan_cache_mode = force_generic_plan');
    result = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers) execute atum_explained${literals ? `(${literals})` : ''}`,
    );
    await client.query('set local plan_cache_mode = auto');
    await client.query('deallocate atum_explained');
  } else {
    result = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers) ${sql}`,
      statement.params,
    );
  }
  const lines = result.rows.map((row) => row['QUERY PLAN']);
  const plan = lines.join('\n');
  const ms = (label: string) => Number(new RegExp(`${label} Time: ([\\d.]+) ms`).exec(plan)?.[1] ?? 0);
  const top = lines.find((line) => /Buffers:/.test(line)) ?? '';
  return {
    sql: statement.sql,
    params: statement.params,
    executionMs: ms('Execution'),
    planningMs: ms('Planning'),
    kind: literals !== null ? 'generic' : 'custom',
    sharedHit: Number(/shared hit=(\d+)/.exec(top)?.[1] ?? 0),
    sharedRead: Number(/read=(\d+)/.exec(top)?.[1] ?? 0),
    plan,
  };
}

/** Runs each request shape through the product's services and explains every statement they send. */
export async function explainProductQueries(
  databaseUrl: string,
  fixtures: Fixtures,
): Promise<ExplainedShape[]> {
  const logger = createLogger({ name: 'bench-explain', level: 'silent' });
  const config = loadConfig({ DATABASE_URL: databaseUrl, RATE_LIMIT_API_PER_MINUTE: '0' });
  const orm: MikroORM = await openOrm(databaseUrl, { poolSize: 2 });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let captured: Captured[] = [];
  orm.config.set('onQuery', (sql: string, params: readonly unknown[]) => {
    captured.push({ sql, params: [...params], prepared: false });
    return sql;
  });
  // The hot reads skip the ORM for its pg pool (core db/sql.ts); capture those statements too.
  const connection = orm.em.getConnection() as unknown as { getNativeClient(): Promise<pg.Pool> };
  const pool = await connection.getNativeClient();
  type PoolQuery = (query: string | pg.QueryConfig, values?: unknown[]) => Promise<pg.QueryResult>;
  const poolQuery = pool.query.bind(pool) as PoolQuery;
  Object.assign(pool, {
    query: ((query, values) => {
      // Plain text with values, or a named (prepared) statement's config.
      if (typeof query === 'string')
        captured.push({ sql: query, params: [...(values ?? [])], prepared: false });
      else
        captured.push({
          sql: query.text,
          params: [...(query.values ?? [])],
          prepared: query.name !== undefined,
        });
      return poolQuery(query, values);
    }) satisfies PoolQuery,
  });
  const shapes: ExplainedShape[] = [];
  const record = async (shape: string, call: string, work: () => Promise<unknown>) => {
    captured = [];
    await work();
    // Replayed in order inside one transaction that is rolled back: a write sees the rows the statements
    // before it wrote (a notification needs its ticket), and nothing is kept.
    const statements: ExplainedStatement[] = [];
    await client.query('begin');
    try {
      for (const statement of captured) {
        const explained = await explainOne(client, statement);
        if (explained) statements.push(explained);
      }
    } finally {
      await client.query('rollback');
    }
    shapes.push({ shape, call, statements });
  };
  try {
    const customer = fixtures.detailTargets.find((target) => target.user.role === 'CUSTOMER_USER')?.user;
    const admin = fixtures.customerAdmins[0];
    const manager = fixtures.managers[0];
    const agent = fixtures.agents[0];
    const detail = fixtures.detailTargets.find((target) => target.user === customer);
    const open = fixtures.commentTargets.find((target) => target.user.role === 'CUSTOMER_USER');
    if (!customer || !admin || !manager || !agent || !detail || !open)
      throw new Error('the data set lacks a role');

    const context = createContextFactory({ orm, config, logger });
    await record('session', 'a bearer token (every request)', () =>
      context({
        req: new Request('http://bench/api/v1/me', {
          headers: { authorization: `Bearer ${customer.token}` },
        }),
        resHeaders: new Headers(),
        ip: null,
      }),
    );
    const first = await listTickets(orm.em.fork(), scopeOf(customer), { limit: 25 });
    await record('customer-list', 'customer, page 1', () =>
      listTickets(orm.em.fork(), scopeOf(customer), { limit: 25 }),
    );
    if (first.nextCursor) {
      const cursor = first.nextCursor;
      await record('customer-list', 'customer, page 2', () =>
        listTickets(orm.em.fork(), scopeOf(customer), { limit: 25, cursor }),
      );
    }
    await record('detail', 'customer, own ticket', () =>
      getTicketDetail(orm.em.fork(), scopeOf(detail.user), detail.ticketId),
    );
    await record('inbox', 'manager, NEW queue', () =>
      listTickets(orm.em.fork(), scopeOf(manager), { limit: 25, status: 'NEW' }),
    );
    for (const status of ['IN_PROGRESS', 'ACCEPTED', undefined] as const) {
      await record('agent-list', `agent, status ${status ?? '(any)'}`, () =>
        listTickets(orm.em.fork(), scopeOf(agent), { limit: 25, status }),
      );
    }
    for (const q of ['printer', 'invoice export', 'E4821']) {
      await record('search', `customer admin, q=${q}`, () =>
        listTickets(orm.em.fork(), scopeOf(admin), { limit: 25, q }),
      );
    }
    // Writes run inside an outer transaction that is rolled back: its statements are captured, nothing
    // is kept, and they can be explained (and rolled back) once more.
    await record('comment', 'customer reply on an open ticket', () =>
      orm.em
        .fork()
        .transactional(async (em) => {
          await addComment(em, scopeOf(open.user), {
            id: open.ticketId,
            body: 'Any news? (bench explain)',
            internal: false,
          });
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        }),
    );
    await record('create', 'customer opens a ticket', () =>
      orm.em
        .fork()
        .transactional(async (em) => {
          await createTicket(
            em,
            scopeOf(customer),
            {
              title: 'Printer shows E4821 (bench explain)',
              description: 'It stopped printing.',
              priority: 'HIGH',
            },
            { ticketsPerHour: 0 },
          );
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        }),
    );
  } finally {
    await client.end();
    await orm.close();
  }
  return shapes;
}

/** A few lines per shape: the statements and their execution times. */
export function explainSummary(shapes: readonly ExplainedShape[]): string {
  const lines: string[] = [];
  for (const shape of shapes) {
    const total = shape.statements.reduce((sum, statement) => sum + statement.executionMs, 0);
    lines.push(
      `${shape.shape} (${shape.call}): ${shape.statements.length} statements, ${total.toFixed(2)} ms in PostgreSQL`,
    );
    for (const statement of shape.statements) {
      const root = statement.plan.split('\n')[0]?.replace(/\s+\(cost=.*$/, '') ?? '';
      const sql = statement.sql
        .replace(/\s+/g, ' ')
        .replace(/select "t0"\."id", .*? from/, 'select t0.* from')
        .slice(0, 90);
      const kind = statement.kind === 'generic' ? 'generic' : 'custom ';
      lines.push(
        `  ${statement.executionMs.toFixed(2).padStart(8)} ms  ${kind}  ${root.trim().slice(0, 40).padEnd(40)}  ${sql}`,
      );
    }
  }
  return lines.join('\n');
}
