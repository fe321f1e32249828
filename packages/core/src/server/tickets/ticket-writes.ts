import type { EntityManager } from '@mikro-orm/postgresql';
import { type AuditActor, auditInsertSql, auditRow } from '../audit/audit.service.ts';
import type { Scope } from '../auth/scope.ts';
import { newId } from '../db/ids.ts';
import {
  type CommentedTicketRow,
  confirmedByRows,
  headlineFromRow,
  insertQuietCommentSql,
  insertTicketSql,
  type SqlCondition,
} from '../db/scoped.ts';
import { queryRows } from '../db/sql.ts';
import {
  commentIsByCustomer,
  commentMailKey,
  createdMailKey,
  excerpt,
} from '../notifications/notification-events.ts';
import {
  type CommentMailEventOfCaller,
  type CreatedMailEvent,
  commentEventSql,
  createdEventSql,
  outboxMailEventInsertSql,
} from '../notifications/outbox-mail.ts';
import type { CounterRow } from '../rate-limits/rate-limiter.ts';
import { notifyTicketEventOf } from '../realtime/realtime-publisher.ts';
import type { CommentFields, TicketSnapshot } from './ticket.mapper.ts';

// The two writes that most requests make, each as one autocommit statement: a new ticket, and a reply
// that changes nothing about its ticket (most replies). The statement writes the row, the outbox row
// recording its mail event (which the jobs worker plans: notifications/outbox-mail.ts) and its audit
// row together, so PostgreSQL parses and
// plans it once per connection, and the audit chain's lock (audit/audit.service.ts) is held for that
// statement's own commit only, not across round trips to the server. Its live update follows the commit
// (db/after-commit.ts); the jobs worker relays its mail (notifications/notification-outbox.ts). Changes
// that move a ticket through the workflow stay with the entities, in a transaction (ticket.service.ts).

/** A new ticket as its caller builds it: everything but the number, which its statement takes. */
export type NewTicket = Omit<TicketSnapshot, 'number'>;

/**
 * Writes a new ticket, built (not persisted) by the caller, in one statement: the ticket, the outbox row
 * recording its mail event (the receipt and the managers' news, planned by the jobs worker:
 * notifications/outbox-mail.ts) with the number it took and its organization's name, and its audit row;
 * its live update follows the commit. With `limit` (a counter upsert of rate-limits/rate-limiter.ts and
 * the points it allows), the statement counts the hit first and writes the ticket only if it is allowed.
 * Returns the ticket with its number, or null when the limit refused it, and the counter's row when there
 * was a limit.
 */
export async function insertNewTicket(
  em: EntityManager,
  scope: Scope,
  actor: AuditActor,
  ticket: NewTicket,
  limit?: { cte: SqlCondition; points: number },
): Promise<{ ticket: TicketSnapshot | null; counter: CounterRow | null }> {
  const start = insertTicketSql(scope, ticket, limit);
  // The number (0 here) and the organization's name are the statement's to write.
  const event: CreatedMailEvent = {
    type: 'created',
    key: createdMailKey(ticket.id),
    organizationId: ticket.organization.id,
    organizationName: '',
    ticket: {
      id: ticket.id,
      number: 0,
      title: ticket.title,
      status: ticket.status,
      priority: ticket.priority,
    },
    requesterId: ticket.createdBy.id,
    actorId: scope.role === 'SYSTEM' ? null : scope.actorId,
    description: excerpt(ticket.description),
  };
  const audit = auditRow(actor, {
    action: 'ticket.created',
    organizationId: ticket.organization.id,
    entityType: 'ticket',
    entityId: ticket.id,
    newValue: {
      status: ticket.status,
      priority: ticket.priority,
      title: ticket.title,
      requesterId: ticket.createdBy.id,
    },
  });
  const [row] = await queryRows<{ number: string | null; xid: string } & Partial<CounterRow>>(
    em,
    `${start.sql},
      o as (
        ${outboxMailEventInsertSql('t', createdEventSql('t'))}
      ),
      a as (
        ${auditInsertSql('t, ')}
      )
      select (select t.number from t)::text as number,
             pg_current_xact_id()::text as xid${
               limit ? ', l.points, l.reset_ms, l.retry_after from limited l' : ''
             }`,
    [...start.params, newId(), JSON.stringify(event), JSON.stringify([audit])],
  );
  if (!row) throw new Error('a new ticket statement returned no row');
  const counter =
    row.points === undefined || row.reset_ms === undefined || row.retry_after === undefined
      ? null
      : { points: row.points, reset_ms: row.reset_ms, retry_after: row.retry_after };
  if (row.number === null) return { ticket: null, counter };
  confirmedByRows(scope, 1);
  const written: TicketSnapshot = { ...ticket, number: Number(row.number) };
  notifyTicketEventOf(em, row.xid, scope, { type: 'created', ticket: written });
  return { ticket: written, counter };
}

/**
 * Writes a reply that the comment rules let leave its ticket as it is, in one statement: the comment,
 * where the ticket is in sight and its comment rule key is one of `quietKeys` (db/scoped.ts
 * `insertQuietCommentSql`), the outbox row recording its mail event (planned by the jobs worker:
 * notifications/outbox-mail.ts) and its audit row, in the ticket's organization; its live update follows
 * the commit. Returns the comment, or null when nothing was written: the ticket is out of sight, the
 * rules refuse the comment, or it would change the ticket (the caller's entity path tells which).
 */
export async function insertQuietReply(
  em: EntityManager,
  scope: Scope,
  actor: AuditActor,
  quietKeys: readonly string[],
  input: { ticketId: string; body: string; internal: boolean },
  now: Date,
): Promise<CommentFields | null> {
  const commentId = newId();
  const start = insertQuietCommentSql(scope, input.ticketId, quietKeys, {
    id: commentId,
    authorId: scope.actorId,
    body: input.body,
    internal: input.internal,
    createdAt: now,
  });
  const event: CommentMailEventOfCaller = {
    type: 'commented',
    key: commentMailKey(commentId),
    actorId: scope.role === 'SYSTEM' ? null : scope.actorId,
    internal: input.internal,
    byCustomer: commentIsByCustomer(scope),
    body: excerpt(input.body),
  };
  const audit = auditRow(actor, {
    action: 'comment.created',
    // The statement writes the ticket's organization.
    organizationId: null,
    entityType: 'comment',
    entityId: commentId,
    newValue: { ticketId: input.ticketId, internal: input.internal },
  });
  const [row] = await queryRows<CommentedTicketRow & { xid: string }>(
    em,
    `${start.sql},
      o as (
        ${outboxMailEventInsertSql('c, t', commentEventSql('t'))}
      ),
      a as (
        ${auditInsertSql('c, t, ', 't.organization_id')}
      )
      select t.*, pg_current_xact_id()::text as xid from t`,
    [...start.params, newId(), JSON.stringify(event), JSON.stringify([audit])],
  );
  if (!row) return null;
  confirmedByRows(scope, 1);
  const ticket = headlineFromRow(row);
  const comment: CommentFields = {
    id: commentId,
    organization: ticket.organization,
    ticket: { id: ticket.id },
    author: { id: scope.actorId },
    body: input.body,
    internal: input.internal,
    createdAt: now,
  };
  notifyTicketEventOf(em, row.xid, scope, { type: 'commented', ticket, comment });
  return comment;
}
