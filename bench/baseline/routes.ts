import { randomFillSync } from 'node:crypto';
import { type Caller, type Db, HttpError, type RequestInput, type Route } from './types.ts';

// The request shapes, each as few round trips as SQL allows: a list or a detail is one statement, a
// comment is one statement (the ticket bump and the insert in a CTE, atomic like a transaction).

const TICKET_COLUMNS = `id, number, organization_id, service_id, created_by_id, accepted_by_id, assigned_to_id,
  status, priority, title, description, category, resolution, root_cause, cancel_reason, created_at,
  updated_at, accepted_at, resolved_at, closed_at, sla_policy_id, sla_started_at, sla_paused_at,
  sla_paused_minutes, first_response_due_at, first_responded_at, resolution_due_at,
  first_response_breached, resolution_breached`;

const STATUSES = new Set([
  'NEW',
  'ACCEPTED',
  'ASSIGNED',
  'IN_PROGRESS',
  'WAITING_CUSTOMER',
  'RESOLVED',
  'CLOSED',
  'CANCELLED',
]);
const PRIORITIES = new Set(['URGENT', 'HIGH', 'MEDIUM', 'LOW']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STAFF = new Set(['AGENT', 'MANAGER', 'ADMIN']);

interface TicketRow {
  id: string;
  number: number;
  organization_id: string;
  service_id: string | null;
  created_by_id: string;
  accepted_by_id: string | null;
  assigned_to_id: string | null;
  status: string;
  priority: string;
  title: string;
  description: string;
  category: string | null;
  resolution: string | null;
  root_cause: string | null;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
  accepted_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  sla_policy_id: string | null;
  sla_started_at: Date | null;
  sla_paused_at: Date | null;
  sla_paused_minutes: number;
  first_response_due_at: Date | null;
  first_responded_at: Date | null;
  resolution_due_at: Date | null;
  first_response_breached: boolean;
  resolution_breached: boolean;
}

function ticketInfo(row: TicketRow) {
  return {
    id: row.id,
    number: row.number,
    organizationId: row.organization_id,
    serviceId: row.service_id,
    createdById: row.created_by_id,
    acceptedById: row.accepted_by_id,
    assignedToId: row.assigned_to_id,
    status: row.status,
    priority: row.priority,
    title: row.title,
    description: row.description,
    category: row.category,
    resolution: row.resolution,
    rootCause: row.root_cause,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    acceptedAt: row.accepted_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
  };
}

function staffTicketInfo(row: TicketRow) {
  return {
    ...ticketInfo(row),
    sla: {
      policyId: row.sla_policy_id,
      startedAt: row.sla_started_at,
      pausedAt: row.sla_paused_at,
      pausedMinutes: row.sla_paused_minutes,
      firstResponseDueAt: row.first_response_due_at,
      firstRespondedAt: row.first_responded_at,
      resolutionDueAt: row.resolution_due_at,
      firstResponseBreached: row.first_response_breached,
      resolutionBreached: row.resolution_breached,
    },
  };
}

/** A UUIDv7, like the ids ATUM assigns (time-ordered, so inserts append to the primary key). */
function uuidv7(): string {
  const bytes = randomFillSync(new Uint8Array(16));
  const ms = Date.now();
  bytes[0] = Math.floor(ms / 2 ** 40) & 255;
  bytes[1] = Math.floor(ms / 2 ** 32) & 255;
  bytes[2] = (ms >>> 24) & 255;
  bytes[3] = (ms >>> 16) & 255;
  bytes[4] = (ms >>> 8) & 255;
  bytes[5] = ms & 255;
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The cursor format of ATUM (base64url of `[createdAt, id]`), so both servers page the same way. */
function encodeCursor(row: { created_at: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.created_at.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string | undefined): [string, string] | null {
  if (!cursor) return null;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw new Error();
    if (Number.isNaN(Date.parse(createdAt))) throw new Error();
    return [createdAt, id];
  } catch {
    throw new HttpError(400, 'invalid cursor');
  }
}

function requireId(value: string | undefined): string {
  if (!value || !UUID.test(value)) throw new HttpError(400, 'not an id');
  return value;
}

function text(value: unknown, max: number, what: string): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.trim().length > max)
    throw new HttpError(400, `invalid ${what}`);
  return value.trim();
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

/** SQL conditions (and their values) for the tickets a caller may see, as ATUM's scoping rules say. */
/** All the ways a caller sees tickets as one condition, its parameters appended to `values`. */
function visibleCondition(caller: Caller, values: unknown[]): string {
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  return `(${visibility(caller)
    .map((condition) => `(${condition(param)})`)
    .join(' or ')})`;
}

type Param = (value: unknown) => string;

/** The ways a caller sees tickets, one SQL condition each, built with `param` for its placeholders. */
function visibility(caller: Caller): ((param: Param) => string)[] {
  switch (caller.role) {
    case 'CUSTOMER_USER':
      return [
        (param) =>
          `organization_id = ${param(caller.organizationId)} and created_by_id = ${param(caller.id)}`,
      ];
    case 'CUSTOMER_ADMIN':
      return [(param) => `organization_id = ${param(caller.organizationId)}`];
    case 'AGENT':
      return [
        (param) => `assigned_to_id = ${param(caller.id)}`,
        () => `status = 'ACCEPTED' and assigned_to_id is null`,
      ];
    default:
      return [() => 'true'];
  }
}

interface ListFilters {
  status?: string | undefined;
  priority?: string | undefined;
  assigneeId?: string | undefined;
  organizationId?: string | undefined;
  q?: string | undefined;
}

/** Newest visible tickets a search reads in order before it asks the full-text index (as ATUM does). */
const SEARCH_WINDOW = 1000;

/**
 * A keyset page of visible tickets, newest first: one prepared statement per filter combination. The
 * same query strategies as ATUM's (an ordered read per visibility clause, merged; a search reads the
 * newest tickets in order first), so the baseline stays the floor of the same work.
 */
async function listTickets(db: Db, caller: Caller, filters: ListFilters, input: RequestInput) {
  const limit = Number(input.query('limit') ?? 25);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new HttpError(400, 'invalid limit');
  const key: string[] = [caller.role];
  const checks: { name: string; condition: (placeholder: string) => string; value: unknown }[] = [];
  if (filters.status !== undefined) {
    if (!STATUSES.has(filters.status)) throw new HttpError(400, 'invalid status');
    checks.push({ name: 'status', condition: (p) => `status = ${p}`, value: filters.status });
  }
  if (filters.priority !== undefined) {
    if (!PRIORITIES.has(filters.priority)) throw new HttpError(400, 'invalid priority');
    checks.push({ name: 'priority', condition: (p) => `priority = ${p}`, value: filters.priority });
  }
  if (filters.assigneeId !== undefined)
    checks.push({
      name: 'assignee',
      condition: (p) => `assigned_to_id = ${p}`,
      value: requireId(filters.assigneeId),
    });
  if (filters.organizationId !== undefined)
    checks.push({
      name: 'organization',
      condition: (p) => `organization_id = ${p}`,
      value: requireId(filters.organizationId),
    });
  const cursor = decodeCursor(input.query('cursor'));
  const q = filters.q?.trim();
  if (q && q.length > 200) throw new HttpError(400, 'invalid q');
  key.push(...checks.map((check) => check.name), ...(cursor ? ['cursor'] : []), ...(q ? ['q'] : []));

  /** The conditions of one visibility clause, with or without the search, into `values`. */
  const whereOf = (branch: number, values: unknown[], withSearch: boolean) => {
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const where = [visibility(caller)[branch]?.(param) ?? 'false'];
    for (const check of checks) where.push(check.condition(param(check.value)));
    if (cursor)
      where.push(`(created_at, id) < (${param(cursor[0])}::timestamptz, ${param(cursor[1])}::uuid)`);
    if (withSearch && q) where.push(`search_vector @@ websearch_to_tsquery('english', ${param(q)})`);
    return where.join(' and ');
  };
  const branches = visibility(caller).length;
  let rowsFound: TicketRow[] | undefined;
  if (q && branches === 1) {
    const values: unknown[] = [];
    const where = whereOf(0, values, false);
    values.push(SEARCH_WINDOW, q, limit + 1);
    const windowed = await db.query<TicketRow>({
      // The window from the organization's keyset index alone (it includes the search vector), the
      // page's matches read whole: as ATUM reads it.
      text: `select ${TICKET_COLUMNS} from tickets
               join (select w.id from (select id, created_at, search_vector from tickets where ${where}
                                       order by created_at desc, id desc limit $${values.length - 2}) w
                     where w.search_vector @@ websearch_to_tsquery('english', $${values.length - 1})
                     order by w.created_at desc, w.id desc limit $${values.length}) m using (id)
             order by created_at desc, id desc`,
      values,
    });
    if (windowed.rows.length === limit + 1) rowsFound = windowed.rows;
  }
  if (!rowsFound) {
    const values: unknown[] = [];
    // The row count in the text, as ATUM writes it (core/server/db/scoped.ts): a generic plan that
    // knows it reads the keyset index backwards instead of replanning every execution.
    const parts = Array.from({ length: branches }, (_, branch) => {
      const where = whereOf(branch, values, true);
      return `select ${TICKET_COLUMNS} from tickets where ${where}
              order by created_at desc, id desc limit ${limit + 1}`;
    });
    const result = await db.query<TicketRow>({
      ...(q ? {} : { name: `list:${key.join(',')}:${limit}` }),
      text:
        parts.length === 1
          ? (parts[0] ?? '')
          : `select * from (${parts.map((part) => `(${part})`).join(' union ')}) t
             order by created_at desc, id desc limit ${limit + 1}`,
      values,
    });
    rowsFound = result.rows;
  }
  const rows = rowsFound.slice(0, limit);
  const last = rows.at(-1);
  return { rows, nextCursor: rowsFound.length > limit && last ? encodeCursor(last) : null };
}

function requireStaff(caller: Caller) {
  if (!STAFF.has(caller.role)) throw new HttpError(403, 'staff only');
}

const DETAIL_SQL = `
  select ${TICKET_COLUMNS},
    (select coalesce(json_agg(json_build_object('id', c.id, 'ticketId', c.ticket_id, 'authorId', c.author_id,
              'body', c.body, 'internal', c.internal, 'createdAt', c.created_at) order by c.created_at, c.id), '[]')
       from comments c
      where c.ticket_id = t.id and c.organization_id = t.organization_id and ($2 or not c.internal)) as comments,
    (select coalesce(json_agg(json_build_object('id', a.id, 'ticketId', a.ticket_id, 'commentId', a.comment_id,
              'fileName', a.file_name, 'mimeType', a.mime_type, 'sizeBytes', a.size_bytes, 'sha256', a.sha256,
              'internal', a.internal, 'createdAt', a.created_at) order by a.created_at, a.id), '[]')
       from attachments a
      where a.ticket_id = t.id and a.organization_id = t.organization_id and ($2 or not a.internal)) as attachments
  from tickets t where t.id = $1`;

export const routes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/tickets',
    async handle(db, caller, input) {
      const page = await listTickets(
        db,
        caller,
        { status: input.query('status'), q: input.query('q') },
        input,
      );
      return { items: page.rows.map(ticketInfo), nextCursor: page.nextCursor };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/tickets/:id',
    async handle(db, caller, input) {
      const id = requireId(input.param('id'));
      const values: unknown[] = [id, false];
      const result = await db.query<TicketRow & { comments: unknown[]; attachments: unknown[] }>({
        name: `detail:${caller.role}`,
        text: `${DETAIL_SQL} and ${visibleCondition(caller, values)}`,
        values,
      });
      const row = result.rows[0];
      if (!row) throw new HttpError(404, 'no such ticket');
      return { ...ticketInfo(row), comments: row.comments, attachments: row.attachments };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/tickets/:id/comments',
    async handle(db, caller, input) {
      const id = requireId(input.param('id'));
      const body = text(field(input.body, 'body'), 20_000, 'body');
      const values: unknown[] = [id, uuidv7(), caller.id, body];
      // The bump and the insert in one statement: both happen or neither.
      const result = await db.query({
        name: `comment:${caller.role}`,
        text: `with t as (
                 update tickets set updated_at = now()
                  where id = $1 and status not in ('CLOSED', 'CANCELLED') and ${visibleCondition(caller, values)}
                  returning id, organization_id)
               insert into comments (id, organization_id, ticket_id, author_id, body, internal, created_at)
               select $2, t.organization_id, t.id, $3, $4, false, now() from t
               returning id, ticket_id, author_id, body, internal, created_at`,
        values,
      });
      const row = result.rows[0] as
        | {
            id: string;
            ticket_id: string;
            author_id: string;
            body: string;
            internal: boolean;
            created_at: Date;
          }
        | undefined;
      if (!row) {
        const seen: unknown[] = [id];
        const visible = await db.query(
          `select 1 from tickets where id = $1 and ${visibleCondition(caller, seen)}`,
          seen,
        );
        throw (visible.rowCount ?? 0) > 0
          ? new HttpError(409, 'the ticket is closed')
          : new HttpError(404, 'no such ticket');
      }
      return {
        id: row.id,
        ticketId: row.ticket_id,
        authorId: row.author_id,
        body: row.body,
        internal: row.internal,
        createdAt: row.created_at,
      };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/tickets',
    async handle(db, caller, input) {
      if (!caller.organizationId) throw new HttpError(403, 'customers file tickets for themselves');
      const title = text(field(input.body, 'title'), 200, 'title');
      const description = text(field(input.body, 'description'), 20_000, 'description');
      const priority = field(input.body, 'priority');
      if (typeof priority !== 'string' || !PRIORITIES.has(priority))
        throw new HttpError(400, 'invalid priority');
      const category = field(input.body, 'category');
      const result = await db.query<TicketRow>({
        name: 'create',
        text: `insert into tickets (id, organization_id, created_by_id, status, priority, title, description,
                                    category, created_at, updated_at)
               values ($1, $2, $3, 'NEW', $4, $5, $6, $7, now(), now())
               returning ${TICKET_COLUMNS}`,
        values: [
          uuidv7(),
          caller.organizationId,
          caller.id,
          priority,
          title,
          description,
          typeof category === 'string' ? category.slice(0, 100) : null,
        ],
      });
      return ticketInfo(result.rows[0] as TicketRow);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/internal/tickets/new',
    async handle(db, caller, input) {
      if (caller.role !== 'MANAGER' && caller.role !== 'ADMIN') throw new HttpError(403, 'managers only');
      const page = await listTickets(db, caller, { status: 'NEW' }, input);
      return { items: page.rows.map(staffTicketInfo), nextCursor: page.nextCursor };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/internal/tickets',
    async handle(db, caller, input) {
      requireStaff(caller);
      const page = await listTickets(
        db,
        caller,
        {
          status: input.query('status'),
          priority: input.query('priority'),
          assigneeId: input.query('assigneeId'),
          organizationId: input.query('organizationId'),
          q: input.query('q'),
        },
        input,
      );
      return { items: page.rows.map(staffTicketInfo), nextCursor: page.nextCursor };
    },
  },
];
