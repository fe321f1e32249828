import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';

// What the scenarios need from the data set: a signed-in session for every user (inserted directly, as
// the product stores them: the id is the SHA-256 of a random token, so the harness holds bearer tokens
// without calling login a thousand times) and the tickets each user may read or reply to.

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A session token as the product makes them: 20 random bytes, base32 lower case without padding. */
function sessionToken(): string {
  const bytes = randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export interface BenchUser {
  id: string;
  email: string;
  role: 'CUSTOMER_USER' | 'CUSTOMER_ADMIN' | 'AGENT' | 'MANAGER' | 'ADMIN';
  organizationId: string | null;
  token: string;
}

/** A ticket and a user who may see it (its requester). */
export interface TicketTarget {
  ticketId: string;
  user: BenchUser;
}

export interface Fixtures {
  users: BenchUser[];
  /** Customer users for every scenario but login. */
  customers: BenchUser[];
  /**
   * Customer users the login scenario signs in as (one per organization) and no other scenario uses: a
   * login ends a user's oldest sessions beyond three, which must never be the session another scenario
   * holds, not even for a login still finishing after its scenario ended.
   */
  loginUsers: BenchUser[];
  customerAdmins: BenchUser[];
  agents: BenchUser[];
  managers: BenchUser[];
  /** Tickets to open in the detail scenario: a random sample, each with its requester. */
  detailTargets: TicketTarget[];
  /** Open tickets (NEW to IN_PROGRESS) a requester may reply to without changing their status. */
  commentTargets: TicketTarget[];
}

/** Reads the users and a sample of tickets, and gives every user a fresh session. */
export async function loadFixtures(client: pg.Client): Promise<Fixtures> {
  const rows = await client.query<{
    id: string;
    email: string;
    role: BenchUser['role'];
    organization_id: string | null;
  }>('select id, email, role, organization_id from users where is_active order by email');
  const users: BenchUser[] = rows.rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    organizationId: row.organization_id,
    token: sessionToken(),
  }));
  await refreshSessions(client, users);
  const loginUsers = [
    ...new Map(
      users
        .filter((user) => user.role === 'CUSTOMER_USER')
        .map((user) => [user.organizationId, user] as const),
    ).values(),
  ];
  const loginIds = new Set(loginUsers.map((user) => user.id));
  const byId = new Map(users.filter((user) => !loginIds.has(user.id)).map((user) => [user.id, user]));
  const toTargets = (result: pg.QueryResult<{ id: string; created_by_id: string }>) =>
    result.rows.flatMap((row) => {
      const user = byId.get(row.created_by_id);
      return user ? [{ ticketId: row.id, user }] : [];
    });
  // A block sample (about 20,000 tickets of the full set, every ticket of a small one), so the detail
  // scenario reads tickets spread over the whole table, mostly old and closed as in real use.
  const total = Number(
    (
      await client.query<{ n: string }>(
        "select reltuples::bigint as n from pg_class where relname = 'tickets'",
      )
    ).rows[0]?.n ?? 0,
  );
  const percent = Math.min(100, Math.max(0.5, (20_000 / Math.max(1, total)) * 100));
  const detailTargets = toTargets(
    await client.query(
      `select id, created_by_id from tickets tablesample system (${percent.toFixed(3)}) limit 20000`,
    ),
  );
  const commentTargets = toTargets(
    await client.query(
      `select id, created_by_id from tickets where status in ('NEW', 'ACCEPTED', 'ASSIGNED', 'IN_PROGRESS') limit 20000`,
    ),
  );
  return {
    users,
    customers: users.filter((user) => user.role === 'CUSTOMER_USER' && !loginIds.has(user.id)),
    loginUsers,
    customerAdmins: users.filter((user) => user.role === 'CUSTOMER_ADMIN'),
    agents: users.filter((user) => user.role === 'AGENT'),
    managers: users.filter((user) => user.role === 'MANAGER'),
    detailTargets,
    commentTargets,
  };
}

/**
 * Gives every bench user one session in use, as a signed-in user's would be: valid for 8 hours, last seen
 * within the last minute. Done before every scenario: the login scenario creates sessions, and a fourth
 * one of a user would end the bench's. A session that is already there keeps its `last_seen_at`, so it is
 * renewed by whichever server meets it due, once a minute, in any scenario (an UPDATE, as in real use);
 * a new one is last seen at a moment of its own within the last minute, so renewals come spread, not all
 * in the same second. (Setting every session's `last_seen_at` to now before each scenario kept renewals
 * out of the runs, but a server that remembers sessions until their renewal is due, as ATUM does, then
 * met every remembered session due early, all at once, inside the next run.)
 */
export async function refreshSessions(client: pg.Client, users: readonly BenchUser[]): Promise<void> {
  const ids = users.map((user) => createHash('sha256').update(user.token).digest('hex'));
  await client.query('delete from sessions where not (id = any($1::text[]))', [ids]);
  await client.query(
    `insert into sessions (id, user_id, expires_at, last_seen_at, ip, user_agent, created_at)
     select id, user_id, now() + interval '8 hours',
            now() - (ordinal::float8 / $3) * interval '60 seconds', '127.0.0.1', 'atum-bench', now()
       from unnest($1::text[], $2::uuid[]) with ordinality as s(id, user_id, ordinal)
     on conflict (id) do update set expires_at = excluded.expires_at`,
    [ids, users.map((user) => user.id), ids.length + 1],
  );
}

/**
 * Removes what earlier benchmark runs wrote (tickets, comments and their mail created after the data
 * set was generated, and the jobs nobody ran: the bench starts no jobs worker), so every run starts
 * from the same data. Audit rows stay: the log is append-only by design.
 */
export async function resetWrites(
  client: pg.Client,
  generatedAt: string,
): Promise<{ tickets: number; comments: number; jobs: number }> {
  const comments = await client.query('delete from comments where created_at > $1', [generatedAt]);
  const tickets = await client.query('delete from tickets where created_at > $1', [generatedAt]);
  await client.query('delete from notifications where created_at > $1', [generatedAt]);
  await client.query('delete from notification_outbox');
  const queue = await client.query<{ present: boolean }>(
    "select to_regclass('graphile_worker._private_jobs') is not null as present",
  );
  const jobs = queue.rows[0]?.present
    ? await client.query('delete from graphile_worker._private_jobs')
    : { rowCount: 0 };
  return { tickets: tickets.rowCount ?? 0, comments: comments.rowCount ?? 0, jobs: jobs.rowCount ?? 0 };
}
