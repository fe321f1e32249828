// The bare baseline of the benchmark (issue #9): the request shapes of ATUM DESK's REST API answered by a
// minimal Hono + PostgreSQL server with hand-written SQL and no ORM, on the same database. It is the
// floor ATUM is measured against, so it is kept honest — the same session lookup by token hash with the
// same sliding renewal, the same visibility rules, the same keyset paging and JSON — and fast: a pool as
// large as ATUM's, prepared statements (a search planned for its words), and one round trip per request
// where SQL allows it. What it leaves out is what ATUM adds on top (input schemas, audit rows, rate
// limits, events, SLA timers, notifications, per-request logging): the ratio between the two is the
// price of those.
//
// Run: DATABASE_URL=postgres://… PORT=3001 node bench/baseline/server.ts
import { createHash } from 'node:crypto';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import pg from 'pg';
import { routes } from './routes.ts';
import { type Caller, type Db, HttpError } from './types.ts';

// biome-ignore lint/style/noProcessEnv: the baseline's own configuration, read once at start
const env = process.env;
const databaseUrl = env.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write('baseline: DATABASE_URL is required\n');
  process.exit(1);
}
const port = Number(env.PORT ?? 3001);
const host = env.HOST ?? '127.0.0.1';
const poolSize = Number(env.DATABASE_POOL_SIZE ?? 10);

// timestamptz stays a Date (JSON gives ISO strings); bigint (ticket numbers) becomes a number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

// Named (prepared) statements, whose plans PostgreSQL may cache, except a search's, which is planned for
// its words (a generic plan would treat a word in three tickets like one in thirty thousand): the same
// policy as ATUM's (core/server/db/sql.ts).
// Connections are kept once opened, as ATUM keeps its own (core/server/db/orm.ts).
const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, idleTimeoutMillis: 0 });

const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
const SESSION_RENEW_INTERVAL_MS = 60 * 1000;
const TOKEN_PATTERN = /^[a-z2-7]{32}$/;

interface SessionRow {
  user_id: string;
  role: Caller['role'];
  organization_id: string | null;
  is_active: boolean;
  expires_at: Date;
  last_seen_at: Date;
}

/** The caller behind `Authorization: Bearer <token>`: the session by the token's SHA-256, as ATUM does it. */
async function authenticate(db: Db, authorization: string | undefined): Promise<Caller> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  if (!token || !TOKEN_PATTERN.test(token)) throw new HttpError(401, 'sign in first');
  const id = createHash('sha256').update(token).digest('hex');
  const result = await db.query<SessionRow>({
    name: 'session',
    text: `select s.user_id, u.role, u.organization_id, u.is_active, s.expires_at, s.last_seen_at
             from sessions s join users u on u.id = s.user_id where s.id = $1`,
    values: [id],
  });
  const row = result.rows[0];
  const now = Date.now();
  if (!row) throw new HttpError(401, 'sign in first');
  if (row.expires_at.getTime() <= now || !row.is_active) {
    await db.query({ name: 'session-delete', text: 'delete from sessions where id = $1', values: [id] });
    throw new HttpError(401, 'sign in first');
  }
  if (now - row.last_seen_at.getTime() >= SESSION_RENEW_INTERVAL_MS) {
    await db.query({
      name: 'session-renew',
      text: 'update sessions set last_seen_at = $2, expires_at = $3 where id = $1',
      values: [id, new Date(now), new Date(now + SESSION_IDLE_MS)],
    });
  }
  return { id: row.user_id, role: row.role, organizationId: row.organization_id };
}

const app = new Hono();
app.get('/api/health', (c) => c.json({ status: 'ok' }));

for (const route of routes) {
  app.on(route.method, route.path, async (c: Context) => {
    const caller = await authenticate(pool, c.req.header('authorization'));
    const body = route.method === 'POST' ? await c.req.json().catch(() => null) : null;
    const answer = await route.handle(pool, caller, {
      param: (name) => c.req.param(name),
      query: (name) => c.req.query(name),
      body,
    });
    return c.json(answer, route.method === 'POST' ? 201 : 200);
  });
}

app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'no such route' } }, 404));
app.onError((error, c) => {
  if (error instanceof HttpError) return c.json({ error: { message: error.message } }, error.status);
  process.stderr.write(
    `baseline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return c.json({ error: { message: 'internal error' } }, 500);
});

const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
  process.stdout.write(`${JSON.stringify({ msg: 'baseline listening', port: info.port })}\n`);
});

function stop() {
  server.close(() => {
    pool.end().finally(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
