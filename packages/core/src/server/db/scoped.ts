import type { FilterQuery } from '@mikro-orm/core';
import { type EntityManager, type QBFilterQuery, raw } from '@mikro-orm/postgresql';
import type { AttachmentInfo } from '../../domain/attachments/allowed-types.ts';
import { isStaffRole } from '../../domain/auth/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import type { CommentInfo } from '../../domain/tickets/ticket.schema.ts';
import type { TicketPriority, TicketStatus } from '../../domain/tickets/ticket-enums.ts';
import type { WorkflowRole } from '../../domain/tickets/ticket-workflow.ts';
import { Attachment } from '../attachments/attachment.entity.ts';
import type { Scope } from '../auth/scope.ts';
import { Comment } from '../tickets/comment.entity.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import type { TicketFields, TicketHeadline } from '../tickets/ticket.mapper.ts';
import { rememberTransactionId } from './after-commit.ts';
import { decodeCursor, toPage } from './keyset.ts';
import { queryRows } from './sql.ts';
import { timestampFromText } from './timestamps.ts';

// The one place tenant and role visibility rules live (SPEC §4). Every read of a tenant table goes
// through here: a test fails when any other server file queries tickets, comments or attachments
// directly. Something the caller may not see is NOT_FOUND, never FORBIDDEN: no existence leak.

/** One way a ticket can be in sight: every condition it names holds (`{}` holds for every ticket). */
interface VisibilityClause {
  /** The ticket belongs to the caller's own organization. */
  ownOrganization?: true;
  /** The caller filed it. */
  filedByCaller?: true;
  /** The caller holds it ('caller'), or nobody does ('nobody'). */
  assignee?: 'caller' | 'nobody';
  status?: TicketStatus;
}

/**
 * Which tickets each role sees: a ticket is visible when it meets at least one clause. The one table
 * both the database filter (`visibleTickets`) and the live-event predicate (`canSeeTicket`) are read
 * from, so the two cannot drift apart.
 */
const TICKET_VISIBILITY: Readonly<Record<WorkflowRole, readonly [VisibilityClause, ...VisibilityClause[]]>> =
  {
    CUSTOMER_USER: [{ ownOrganization: true, filedByCaller: true }],
    CUSTOMER_ADMIN: [{ ownOrganization: true }],
    // Their own work, and the accepted tickets nobody holds yet (to take one).
    AGENT: [{ assignee: 'caller' }, { status: 'ACCEPTED', assignee: 'nobody' }],
    MANAGER: [{}],
    ADMIN: [{}],
    SYSTEM: [{}],
  };

/** Which tickets a caller may see. */
export function visibleTickets(scope: Scope): FilterQuery<Ticket> {
  const filters = TICKET_VISIBILITY[scope.role].map(
    (clause): FilterQuery<Ticket> => ({
      ...(clause.ownOrganization ? { organization: requireOrganization(scope) } : {}),
      ...(clause.filedByCaller ? { createdBy: scope.actorId } : {}),
      ...(clause.assignee ? { assignedTo: clause.assignee === 'caller' ? scope.actorId : null } : {}),
      ...(clause.status ? { status: clause.status } : {}),
    }),
  );
  return filters.length === 1 && filters[0] ? filters[0] : { $or: filters };
}

/** What the visibility rules look at in a ticket: the facts a live event carries. */
export interface TicketVisibilityFacts {
  organizationId: string;
  createdById: string;
  assignedToId: string | null;
  status: TicketStatus;
}

/** Whether a caller may see a ticket with these facts: `visibleTickets` as a predicate. */
export function canSeeTicket(scope: Scope, ticket: TicketVisibilityFacts): boolean {
  return TICKET_VISIBILITY[scope.role].some(
    (clause) =>
      (!clause.ownOrganization ||
        (scope.organizationId !== null && ticket.organizationId === scope.organizationId)) &&
      (!clause.filedByCaller || ticket.createdById === scope.actorId) &&
      (clause.assignee !== 'caller' || ticket.assignedToId === scope.actorId) &&
      (clause.assignee !== 'nobody' || ticket.assignedToId === null) &&
      (!clause.status || ticket.status === clause.status),
  );
}

/** What the visibility rules look at in a live ticket event. */
export interface TicketEventVisibilityFacts extends TicketVisibilityFacts {
  /** An internal note or attachment, or an SLA alert: staff only. */
  internal: boolean;
  /** The ticket's status and assignee before a transition, when it had them. */
  previous?: Pick<TicketVisibilityFacts, 'status' | 'assignedToId'> | undefined;
}

/**
 * Whether a caller may be told about a ticket event: they see the ticket after the change or saw it
 * before (an agent learns that a ticket left their queue), and internal events reach staff only.
 */
export function canSeeTicketEvent(scope: Scope, event: TicketEventVisibilityFacts): boolean {
  if (event.internal && !seesInternal(scope)) return false;
  return (
    canSeeTicket(scope, event) || (!!event.previous && canSeeTicket(scope, { ...event, ...event.previous }))
  );
}

/** Whether the caller may see internal notes and internal attachments. */
export function seesInternal(scope: Scope): boolean {
  return scope.role === 'SYSTEM' || isStaffRole(scope.role);
}

/** The ticket if the caller may see it, as an entity to change; NOT_FOUND otherwise. */
export async function findVisibleTicket(em: EntityManager, scope: Scope, id: string): Promise<Ticket> {
  // Every change through the entities starts here: a plain statement mapped onto a managed entity
  // (version included, so the change's optimistic lock holds) costs a fraction of the ORM's query
  // building. In a transaction (a change) the same statement returns the transaction's id, which the
  // after-commit steps of the change need (db/after-commit.ts).
  const visible = visibleTicketsSql(scope);
  const inTransaction = em.isInTransaction();
  const [row] = await queryRows<Record<string, unknown>>(
    em,
    `select ${TICKET_COLUMNS}, t.version, t.first_response_warned_at, t.resolution_warned_at
       ${inTransaction ? ', pg_current_xact_id()::text as current_xid' : ''}
     from tickets t where t.id = ? and (${visible.sql})`,
    [id, ...visible.params],
  );
  if (!row) throw new DomainError('NOT_FOUND', 'no such ticket');
  confirmedByRows(scope, 1);
  const { current_xid: xid, ...ticket } = row;
  if (typeof xid === 'string') rememberTransactionId(em, xid);
  return em.map(Ticket, ticket);
}

/**
 * A relation named `alias` with one row while ticket `?` exists and none once it is gone, for the
 * system's own writes about a ticket (the jobs worker's mail to the managers); nothing of the ticket
 * leaves it. Parameter: the ticket's id.
 */
export function existingTicketSql(alias: string): string {
  return `(select 1 from tickets where id = ?::uuid) as ${alias}`;
}

/**
 * A condition that holds while the ticket whose id the expression `id` gives exists, for the system's
 * own writes about many tickets at once (the jobs worker's planned mail); nothing of the ticket leaves it.
 */
export function ticketExistsSql(id: string): string {
  return `exists (select 1 from tickets where tickets.id = ${id})`;
}

/**
 * The start of a statement that writes a new ticket: CTE `t` inserts it and returns its id, the number
 * it took from the ticket sequence and its organization. Its organization is its requester's, which the
 * service read or the session gave (tickets/ticket.service.ts). With `limit`, a CTE of the caller's (an
 * hourly limit's counter, `points`) comes first and `t` inserts only while its points are within
 * `limit.points`; a ticket refused takes no number. While the caller's session is still to be confirmed,
 * `t` inserts only past the session check (`sessionGateSql`). The caller appends CTEs that depend on `t`
 * and the final select (tickets/ticket-writes.ts).
 */
export function insertTicketSql(
  scope: Scope,
  ticket: Omit<TicketFields, 'number'>,
  limit?: { cte: SqlCondition; points: number },
): SqlCondition {
  const session = sessionGateSql(scope);
  const conditions = [...(limit ? ['limited.points <= ?'] : []), ...(session ? [session.sql] : [])];
  return {
    sql: `with ${limit ? `limited as (${limit.cte.sql}),\n      ` : ''}t as (
        insert into tickets (id, organization_id, service_id, created_by_id, status, priority, title,
                             description, category, created_at, updated_at)
        select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?${limit ? ' from limited' : ''}
        ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''}
        returning id, number, organization_id
      )`,
    params: [
      ...(limit?.cte.params ?? []),
      ticket.id,
      ticket.organization.id,
      ticket.service?.id ?? null,
      ticket.createdBy.id,
      ticket.status,
      ticket.priority,
      ticket.title,
      ticket.description,
      ticket.category ?? null,
      ticket.createdAt.toISOString(),
      ticket.updatedAt.toISOString(),
      ...(limit ? [limit.points] : []),
      ...(session?.params ?? []),
    ],
  };
}

/**
 * A ticket's comment rule key (domain/tickets/ticket-workflow.ts `commentRuleKey`) as the caller stands to
 * it, built from its row `t`: the same text the domain builds from the same facts. Parameters: the
 * caller's id, twice.
 */
const COMMENT_RULE_KEY_SQL = `(t.status::text
    || case when t.assigned_to_id is null then ':nobody' when t.assigned_to_id = ?::uuid then ':caller' else ':other' end
    || case when t.created_by_id = ?::uuid then ':caller' else ':other' end
    || case when t.sla_started_at is not null and t.first_responded_at is null then ':due' else ':met' end)`;

/** What a comment's statement returns of its ticket: what the comment's mail and live update need. */
export interface CommentedTicketRow {
  id: string;
  number: number | string;
  organization_id: string;
  created_by_id: string;
  assigned_to_id: string | null;
  status: TicketStatus;
  priority: TicketPriority;
  title: string;
}

/** The headline of a ticket from the row of `insertQuietCommentSql`'s CTE `t`. */
export function headlineFromRow(row: CommentedTicketRow): TicketHeadline {
  return {
    id: row.id,
    number: Number(row.number),
    organization: { id: row.organization_id },
    createdBy: { id: row.created_by_id },
    assignedTo: ref(row.assigned_to_id),
    status: row.status,
    priority: row.priority,
    title: row.title,
  };
}

/**
 * The start of a statement that writes a comment on a ticket the caller can see, when the comment rules
 * let it leave the ticket as it is: CTE `t` reads the ticket `for share` if its comment rule key is one
 * of `quietKeys` (`quietCommentKeys` of the caller's role and the comment's kind; a change committing
 * meanwhile is waited for, then visibility and the key are checked again on the new row), and returns
 * the `CommentedTicketRow`; CTE `c` inserts the comment, in the ticket's organization, when `t` has a row.
 * A ticket out of sight, a comment the rules refuse and one that moves the ticket all leave both empty.
 * The caller appends CTEs that depend on `c` and the final select (tickets/ticket-writes.ts).
 */
export function insertQuietCommentSql(
  scope: Scope,
  ticketId: string,
  quietKeys: readonly string[],
  comment: { id: string; authorId: string; body: string; internal: boolean; createdAt: Date },
): SqlCondition {
  const visible = visibleTicketsSql(scope);
  return {
    sql: `with t as (
        select t.id, t.number, t.organization_id, t.created_by_id, t.assigned_to_id, t.status, t.priority, t.title
          from tickets t
         where t.id = ? and (${visible.sql}) and ${COMMENT_RULE_KEY_SQL} = any(?::text[])
           for share
      ),
      c as (
        insert into comments (id, organization_id, ticket_id, author_id, body, internal, created_at)
        select ?::uuid, t.organization_id, t.id, ?::uuid, ?::text, ?::boolean, ?::timestamptz from t
        returning id
      )`,
    params: [
      ticketId,
      ...visible.params,
      scope.actorId,
      scope.actorId,
      `{${quietKeys.join(',')}}`,
      comment.id,
      comment.authorId,
      comment.body,
      comment.internal,
      comment.createdAt.toISOString(),
    ],
  };
}

/**
 * The comment rule key (`commentRuleKey`) of ticket `id` as the caller stands to it, as the statement of
 * `insertQuietCommentSql` computes it; for tests that hold the two definitions together.
 */
export async function commentRuleKeyOf(em: EntityManager, scope: Scope, id: string): Promise<string | null> {
  const [row] = await queryRows<{ key: string }>(
    em,
    `select ${COMMENT_RULE_KEY_SQL} as key from tickets t where t.id = ?`,
    [scope.actorId, scope.actorId, id],
  );
  return row?.key ?? null;
}

/** A ticket's comments the caller may read, oldest first. */
export async function findVisibleComments(
  em: EntityManager,
  scope: Scope,
  ticket: Ticket,
): Promise<Comment[]> {
  return em.find(
    Comment,
    {
      ticket: ticket.id,
      organization: ticket.organization.id,
      ...(seesInternal(scope) ? {} : { internal: false }),
    },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
}

/** An attachment if the caller may see its ticket and, when internal, is staff; NOT_FOUND otherwise. */
export async function findVisibleAttachment(
  em: EntityManager,
  scope: Scope,
  id: string,
): Promise<Attachment> {
  const attachment = await em.findOne(Attachment, {
    id,
    ...(seesInternal(scope) ? {} : { internal: false }),
    ticket: visibleTickets(scope),
  });
  if (!attachment) throw new DomainError('NOT_FOUND', 'no such attachment');
  return attachment;
}

/**
 * Records the first public staff reply on a ticket the caller already reached through this helper: one
 * conditional update, so parallel replies never conflict and only the first one counts.
 */
export async function recordFirstResponse(em: EntityManager, ticket: Ticket, at: Date): Promise<void> {
  await em.nativeUpdate(
    Ticket,
    {
      id: ticket.id,
      organization: ticket.organization.id,
      slaStartedAt: { $ne: null },
      firstRespondedAt: null,
    },
    {
      firstRespondedAt: at,
      firstResponseBreached: raw('first_response_breached or coalesce(first_response_due_at < ?, false)', [
        at,
      ]),
    },
  );
}

/**
 * Sets an SLA flag (breached, or the time of the warning) on a ticket the system reached through this
 * helper, only if it is not set yet: the one caller that flips it records the alert.
 */
export async function markSlaAlert(
  em: EntityManager,
  ticket: Ticket,
  clock: 'first_response' | 'resolution',
  kind: 'warning' | 'breach',
  at: Date,
): Promise<boolean> {
  const where = { id: ticket.id, organization: ticket.organization.id };
  const changed =
    kind === 'breach'
      ? clock === 'first_response'
        ? await em.nativeUpdate(
            Ticket,
            { ...where, firstResponseBreached: false },
            { firstResponseBreached: true },
          )
        : await em.nativeUpdate(Ticket, { ...where, resolutionBreached: false }, { resolutionBreached: true })
      : clock === 'first_response'
        ? await em.nativeUpdate(
            Ticket,
            { ...where, firstResponseWarnedAt: null },
            { firstResponseWarnedAt: at },
          )
        : await em.nativeUpdate(Ticket, { ...where, resolutionWarnedAt: null }, { resolutionWarnedAt: at });
  return changed > 0;
}

/**
 * Tickets whose running clock passed its due time without being flagged: what the sweeper checks in
 * case a timer job was lost. Across organizations, for the system only.
 */
export async function findOverdueSlaTickets(em: EntityManager, now: Date, limit: number): Promise<Ticket[]> {
  return em.find(
    Ticket,
    {
      slaStartedAt: { $ne: null },
      slaPausedAt: null,
      status: { $nin: ['RESOLVED', 'CLOSED', 'CANCELLED'] },
      $or: [
        { firstRespondedAt: null, firstResponseBreached: false, firstResponseDueAt: { $lte: now } },
        { resolutionBreached: false, resolutionDueAt: { $lte: now } },
      ],
    },
    { orderBy: { resolutionDueAt: 'asc' }, limit },
  );
}

/** RESOLVED tickets resolved before `resolvedBefore`: what the nightly auto-close closes. */
export async function findTicketsToAutoClose(
  em: EntityManager,
  resolvedBefore: Date,
  limit: number,
): Promise<Ticket[]> {
  return em.find(
    Ticket,
    { status: 'RESOLVED', resolvedAt: { $lt: resolvedBefore } },
    { orderBy: { resolvedAt: 'asc' }, limit },
  );
}

export interface TicketListFilters {
  status?: TicketStatus | undefined;
  priority?: Ticket['priority'] | undefined;
  assigneeId?: string | undefined;
  organizationId?: string | undefined;
  /** Full-text search over title and description. */
  q?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Tickets the caller may see, newest first, in keyset pages. */
export async function listVisibleTickets(
  em: EntityManager,
  scope: Scope,
  filters: TicketListFilters,
  page: {
    cursor?: string | undefined;
    limit: number;
    /** How many newest tickets a search reads in order first (tests set it small). */
    searchWindow?: number;
  },
): Promise<Page<TicketFields>> {
  // The hottest read of the product: plain SQL and plain rows, no entity loading (see
  // docs/PERFORMANCE.md); the visibility condition is the same rule table as everywhere.
  const filterBy: SqlCondition[] = [];
  if (filters.status) filterBy.push({ sql: 't.status = ?', params: [filters.status] });
  if (filters.priority) filterBy.push({ sql: 't.priority = ?', params: [filters.priority] });
  if (filters.assigneeId) filterBy.push({ sql: 't.assigned_to_id = ?', params: [filters.assigneeId] });
  if (filters.organizationId)
    filterBy.push({ sql: 't.organization_id = ?', params: [filters.organizationId] });
  const after = decodeCursor(page.cursor);
  if (after) filterBy.push({ sql: '(t.created_at, t.id) < (?, ?)', params: [after.createdAt, after.id] });
  const matches = (alias: string) => `${alias}.search_vector @@ websearch_to_tsquery('english', ?)`;
  const search: SqlCondition | null = filters.q ? { sql: matches('t'), params: [filters.q] } : null;
  const limit = page.limit + 1;
  const branches = visibilityClausesSql(scope);
  const only = branches.length === 1 ? branches[0] : undefined;

  if (only && search) {
    // Search, newest first: the newest SEARCH_WINDOW visible tickets are read in index order and the
    // matches among them kept. If that finds a whole page, it is exactly the newest page of matches
    // (every ticket outside the window is older than every ticket in it); if not, the words are rare
    // and the full-text index finds them fast. PostgreSQL alone picks one plan from its estimates and
    // misjudges words that are neither common nor rare (measured: 24 ms against 2 ms per page).
    // The window reads only what `tickets_organization_created_index` holds (the key and the search
    // vector it includes), so for a customer admin or a staff search within one organization it is an
    // index-only read of adjacent entries instead of a thousand scattered table pages; the page's few
    // matches are then read whole.
    const windowed = await queryRows<TicketRow>(
      em,
      `select ${TICKET_COLUMNS}
       from (select w.id from (select t.id, t.created_at, t.search_vector from tickets t
                               where ${conditions([only, ...filterBy])}
                               order by t.created_at desc, t.id desc limit ?) w
             where ${matches('w')}
             order by w.created_at desc, w.id desc
             limit ?) m
       join tickets t on t.id = m.id
       order by t.created_at desc, t.id desc`,
      [...params([only, ...filterBy]), page.searchWindow ?? SEARCH_WINDOW, ...search.params, limit],
      // Planned for its words: a cached generic plan would compute the query of the words for every row.
      { plan: 'per-call' },
    );
    confirmedByRows(scope, windowed.length);
    if (windowed.length === limit) return toPage(windowed.map(ticketFromRow), page.limit);
  }
  const narrowing = search ? [...filterBy, search] : filterBy;
  // Built again: the search window may have confirmed the session meanwhile.
  const ways = only && search ? visibilityClausesSql(scope) : branches;
  // A caller who sees tickets in several ways (an agent: their own, and the unassigned accepted ones)
  // gets one ordered, limited read per way, merged: PostgreSQL reads an OR of differently indexed
  // conditions as a whole and sorts it (16,000 rows per page for an agent with three years of tickets).
  // The page's row count is written into the text, not sent as a parameter: a prepared statement's
  // generic plan then knows it and reads the keyset index backwards for those rows. With `limit $n`
  // PostgreSQL plans a generic plan for a tenth of the estimated rows, finds a bitmap scan and a sort
  // cheaper for those, rejects that plan against the values' own and so plans every execution anew
  // (docs/PERFORMANCE.md, "What changed"). A page size is one of a hundred, so are the texts.
  const rowsSql = limitSql(limit);
  const rows = await queryRows<TicketRow>(
    em,
    ways.length === 1
      ? `select ${TICKET_COLUMNS} from tickets t
         where ${conditions([...ways, ...narrowing])}
         order by t.created_at desc, t.id desc
         ${rowsSql}`
      : `select * from (${ways
          .map(
            (branch) => `(select ${TICKET_COLUMNS} from tickets t
               where ${conditions([branch, ...narrowing])}
               order by t.created_at desc, t.id desc
               ${rowsSql})`,
          )
          .join(' union ')}) t
         order by t.created_at desc, t.id desc
         ${rowsSql}`,
    ways.length === 1
      ? params([...ways, ...narrowing])
      : ways.flatMap((branch) => params([branch, ...narrowing])),
    { plan: search ? 'per-call' : 'cached' },
  );
  confirmedByRows(scope, rows.length);
  return toPage(rows.map(ticketFromRow), page.limit);
}

/** `limit n` for a row count that goes into a statement's text (a validated page size, plus one). */
function limitSql(rows: number): string {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`not a row count: ${rows}`);
  return `limit ${rows}`;
}

/** How many of the newest visible tickets a search reads in order before it asks the full-text index. */
const SEARCH_WINDOW = 1000;

function conditions(parts: readonly SqlCondition[]): string {
  return parts.map((part) => `(${part.sql})`).join(' and ');
}

function params(parts: readonly SqlCondition[]): unknown[] {
  return parts.flatMap((part) => part.params);
}

/** A ticket with the comments and attachments the caller may read, read for display. */
export interface TicketView {
  ticket: TicketFields;
  comments: CommentInfo[];
  attachments: AttachmentInfo[];
}

/**
 * The ticket, its comments and its attachments as the caller may see them, oldest first, in one
 * statement; NOT_FOUND when the ticket is not visible. For display: changes load the entity.
 */
export async function findVisibleTicketView(
  em: EntityManager,
  scope: Scope,
  id: string,
): Promise<TicketView> {
  const visible = visibleTicketsSql(scope);
  const publicOnly = !seesInternal(scope);
  const [row] = await queryRows<TicketRow & { comments: CommentJson[]; attachments: AttachmentJson[] }>(
    em,
    `select ${TICKET_COLUMNS},
       coalesce((select json_agg(json_build_object('id', c.id, 'authorId', c.author_id, 'body', c.body,
                   'internal', c.internal, 'createdAt', c.created_at) order by c.created_at, c.id)
                 from comments c
                 where c.ticket_id = t.id and c.organization_id = t.organization_id
                   ${publicOnly ? 'and not c.internal' : ''}), '[]') as comments,
       coalesce((select json_agg(json_build_object('id', a.id, 'commentId', a.comment_id,
                   'fileName', a.file_name, 'mimeType', a.mime_type, 'sizeBytes', a.size_bytes,
                   'sha256', a.sha256, 'internal', a.internal, 'createdAt', a.created_at)
                   order by a.created_at, a.id)
                 from attachments a
                 where a.ticket_id = t.id and a.organization_id = t.organization_id
                   ${publicOnly ? 'and not a.internal' : ''}), '[]') as attachments
     from tickets t
     where t.id = ? and (${visible.sql})`,
    [id, ...visible.params],
  );
  if (!row) throw new DomainError('NOT_FOUND', 'no such ticket');
  confirmedByRows(scope, 1);
  return {
    ticket: ticketFromRow(row),
    comments: row.comments.map((comment) => ({
      ...comment,
      ticketId: row.id,
      createdAt: timestampFromText(comment.createdAt),
    })),
    attachments: row.attachments.map((attachment) => ({
      ...attachment,
      ticketId: row.id,
      sizeBytes: Number(attachment.sizeBytes),
      createdAt: timestampFromText(attachment.createdAt),
    })),
  };
}

/** A part of a WHERE clause with its parameters. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/**
 * The ways a ticket is visible (`visibleTickets`) as SQL over the alias `t`, one condition each. While
 * the caller's session is still to be confirmed, each condition also carries the session check
 * (auth/session-gate.ts), so whatever a statement reads or writes through it passed that check.
 */
function visibilityClausesSql(scope: Scope): SqlCondition[] {
  const gate = sessionGateSql(scope);
  return TICKET_VISIBILITY[scope.role].map((clause): SqlCondition => {
    const parts: SqlCondition[] = gate ? [gate] : [];
    if (clause.ownOrganization)
      parts.push({ sql: 't.organization_id = ?', params: [requireOrganization(scope)] });
    if (clause.filedByCaller) parts.push({ sql: 't.created_by_id = ?', params: [scope.actorId] });
    if (clause.assignee === 'caller') parts.push({ sql: 't.assigned_to_id = ?', params: [scope.actorId] });
    if (clause.assignee === 'nobody') parts.push({ sql: 't.assigned_to_id is null', params: [] });
    if (clause.status) parts.push({ sql: 't.status = ?', params: [clause.status] });
    return parts.length === 0
      ? { sql: 'true', params: [] }
      : { sql: conditions(parts), params: params(parts) };
  });
}

/**
 * The session check of a caller whose session is still to be confirmed (`Scope.gate`), else null: one
 * call of `atum_session_gate` per statement, which aborts the statement when the session ended.
 */
export function sessionGateSql(scope: Scope): SqlCondition | null {
  return scope.gate && !scope.gate.confirmed ? scope.gate.condition() : null;
}

/**
 * Records that a statement carrying the caller's session check (`sessionGateSql`) in the path of every
 * row it returns returned `rows` rows: one is enough to know the check passed. A statement that returned
 * none may never have asked it, so the session stays to be confirmed.
 */
export function confirmedByRows(scope: Scope, rows: number): void {
  if (rows > 0 && scope.gate) scope.gate.confirmed = true;
}

/** `visibleTickets` as one SQL condition over the alias `t`. */
function visibleTicketsSql(scope: Scope): SqlCondition {
  const clauses = visibilityClausesSql(scope);
  return {
    sql: clauses.map((clause) => `(${clause.sql})`).join(' or '),
    params: params(clauses),
  };
}

const TICKET_COLUMNS = `t.id, t.number, t.organization_id, t.service_id, t.created_by_id, t.accepted_by_id,
  t.assigned_to_id, t.status, t.priority, t.title, t.description, t.category, t.resolution, t.root_cause,
  t.cancel_reason, t.created_at, t.updated_at, t.accepted_at, t.resolved_at, t.closed_at, t.sla_policy_id,
  t.sla_started_at, t.sla_paused_at, t.sla_paused_minutes, t.first_response_due_at, t.first_responded_at,
  t.resolution_due_at, t.first_response_breached, t.resolution_breached`;

type Timestamp = Date | string;

interface TicketRow {
  id: string;
  number: number | string;
  organization_id: string;
  service_id: string | null;
  created_by_id: string;
  accepted_by_id: string | null;
  assigned_to_id: string | null;
  status: TicketStatus;
  priority: TicketPriority;
  title: string;
  description: string;
  category: string | null;
  resolution: string | null;
  root_cause: string | null;
  cancel_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  accepted_at: Timestamp | null;
  resolved_at: Timestamp | null;
  closed_at: Timestamp | null;
  sla_policy_id: string | null;
  sla_started_at: Timestamp | null;
  sla_paused_at: Timestamp | null;
  sla_paused_minutes: number;
  first_response_due_at: Timestamp | null;
  first_responded_at: Timestamp | null;
  resolution_due_at: Timestamp | null;
  first_response_breached: boolean;
  resolution_breached: boolean;
}

type CommentJson = Omit<CommentInfo, 'ticketId' | 'createdAt'> & { createdAt: string };
type AttachmentJson = Omit<AttachmentInfo, 'ticketId' | 'createdAt'> & { createdAt: string };

const ref = (id: string | null) => (id === null ? null : { id });
/** A timestamp as a Date: a column comes as PostgreSQL's text (db/timestamps.ts), or as a Date in a transaction. */
const toDate = (value: Timestamp) => (value instanceof Date ? value : timestampFromText(value));
const date = (value: Timestamp | null) => (value === null ? null : toDate(value));

function ticketFromRow(row: TicketRow): TicketFields {
  return {
    id: row.id,
    number: Number(row.number),
    organization: { id: row.organization_id },
    service: ref(row.service_id),
    createdBy: { id: row.created_by_id },
    acceptedBy: ref(row.accepted_by_id),
    assignedTo: ref(row.assigned_to_id),
    status: row.status,
    priority: row.priority,
    title: row.title,
    description: row.description,
    category: row.category,
    resolution: row.resolution,
    rootCause: row.root_cause,
    cancelReason: row.cancel_reason,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    acceptedAt: date(row.accepted_at),
    resolvedAt: date(row.resolved_at),
    closedAt: date(row.closed_at),
    slaPolicy: ref(row.sla_policy_id),
    slaStartedAt: date(row.sla_started_at),
    slaPausedAt: date(row.sla_paused_at),
    slaPausedMinutes: row.sla_paused_minutes,
    firstResponseDueAt: date(row.first_response_due_at),
    firstRespondedAt: date(row.first_responded_at),
    resolutionDueAt: date(row.resolution_due_at),
    firstResponseBreached: row.first_response_breached,
    resolutionBreached: row.resolution_breached,
  };
}

function requireOrganization(scope: Scope): string {
  // A customer without an organization cannot exist (a check constraint forbids it); if it ever did,
  // it must see nothing rather than everything.
  if (!scope.organizationId) throw new DomainError('NOT_FOUND', 'no such ticket');
  return scope.organizationId;
}

/** The dashboard's counts for one status and priority, over the tickets the caller may see. */
export interface TicketCountGroup {
  status: TicketStatus;
  priority: Ticket['priority'];
  count: number;
  /** A clock flagged breached, or a running clock past its due time that the sweeper has not flagged yet. */
  breached: number;
  /** Not breached, and a running, unmet clock has under `riskShare` of its time left. */
  atRisk: number;
  /** Held by the caller. */
  mine: number;
  /** Held by the caller and breached. */
  mineBreached: number;
  oldestCreatedAt: Date | null;
}

/** Aggregates behind the staff dashboard, computed by PostgreSQL over `visibleTickets(scope)`. */
export interface TicketAggregates {
  groups: TicketCountGroup[];
  /** Tickets not yet resolved, closed or cancelled, per organization. */
  openByOrganization: { organizationId: string; count: number }[];
  /** Tickets created and resolved per local day (`YYYY-MM-DD` in `timezone`) since `since`. */
  createdPerDay: { day: string; count: number }[];
  resolvedPerDay: { day: string; count: number }[];
}

const OPEN_STATUSES: TicketStatus[] = ['NEW', 'ACCEPTED', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_CUSTOMER'];

/**
 * Counts for the staff dashboard in four grouped queries (never a row per ticket): per status and
 * priority with the SLA and "mine" figures as FILTER clauses, open tickets per organization, and the
 * created and resolved series per day in the caller's timezone.
 */
export async function aggregateVisibleTickets(
  em: EntityManager,
  scope: Scope,
  options: { now: Date; since: Date; timezone: string; riskShare: number },
): Promise<TicketAggregates> {
  const { now, since, timezone, riskShare } = options;
  const running = 'sla_started_at is not null and sla_paused_at is null';
  const breached = `(first_response_breached or resolution_breached or (${running} and ((first_responded_at is null and first_response_due_at <= ?) or resolution_due_at <= ?)))`;
  const atRisk = `(not ${breached} and ${running} and ((first_responded_at is null and first_response_due_at - ?::timestamptz < (first_response_due_at - sla_started_at) * ?) or (resolution_due_at - ?::timestamptz < (resolution_due_at - sla_started_at) * ?)))`;
  const mine = 'assigned_to_id = ?';
  // The query builder types its conditions apart from em.find's FilterQuery; at run time the same
  // visibility object is read the same way by both, so the one rule stays the one rule.
  const where = (...more: FilterQuery<Ticket>[]) =>
    ({ $and: [visibleTickets(scope), ...more] }) as unknown as QBFilterQuery<Ticket>;
  const groups = await em
    .createQueryBuilder(Ticket)
    .where(where())
    .select([
      'status',
      'priority',
      raw('count(*)::int as count'),
      raw(`(count(*) filter (where ${breached}))::int as breached`, [now, now]),
      raw(`(count(*) filter (where ${atRisk}))::int as at_risk`, [now, now, now, riskShare, now, riskShare]),
      raw(`(count(*) filter (where ${mine}))::int as mine`, [scope.actorId]),
      raw(`(count(*) filter (where ${mine} and ${breached}))::int as mine_breached`, [
        scope.actorId,
        now,
        now,
      ]),
      raw('min(created_at) as oldest_created_at'),
    ])
    .groupBy(['status', 'priority'])
    .execute<
      {
        status: TicketStatus;
        priority: Ticket['priority'];
        count: number;
        breached: number;
        at_risk: number;
        mine: number;
        mine_breached: number;
        oldest_created_at: Date | string | null;
      }[]
    >('all', false);
  const openByOrganization = await em
    .createQueryBuilder(Ticket)
    .where(where({ status: { $in: OPEN_STATUSES } }))
    .select([raw('organization_id as organization_id'), raw('count(*)::int as count')])
    .groupBy(raw('organization_id'))
    .execute<{ organization_id: string; count: number }[]>('all', false);
  const perDay = (column: 'created_at' | 'resolved_at', field: 'createdAt' | 'resolvedAt') =>
    em
      .createQueryBuilder(Ticket)
      .where(where({ [field]: { $gte: since } }))
      .select([
        raw(`to_char(${column} at time zone ?, 'YYYY-MM-DD') as day`, [timezone]),
        raw('count(*)::int as count'),
      ])
      .groupBy(raw(`to_char(${column} at time zone ?, 'YYYY-MM-DD')`, [timezone]))
      .execute<{ day: string; count: number }[]>('all', false);
  const [createdPerDay, resolvedPerDay] = await Promise.all([
    perDay('created_at', 'createdAt'),
    perDay('resolved_at', 'resolvedAt'),
  ]);
  return {
    groups: groups.map((row) => ({
      status: row.status,
      priority: row.priority,
      count: row.count,
      breached: row.breached,
      atRisk: row.at_risk,
      mine: row.mine,
      mineBreached: row.mine_breached,
      oldestCreatedAt: row.oldest_created_at === null ? null : new Date(row.oldest_created_at),
    })),
    openByOrganization: openByOrganization.map((row) => ({
      organizationId: row.organization_id,
      count: row.count,
    })),
    createdPerDay,
    resolvedPerDay,
  };
}
