import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { type AuditActor, auditInsertSql, auditRow } from '../audit/audit.service.ts';
import type { Scope } from '../auth/scope.ts';
import { insertCommentOnVisibleTicketSql } from '../db/scoped.ts';
import { queryRows } from '../db/sql.ts';
import {
  notificationInsertSql,
  notificationRows,
  planTicketEventMail,
} from '../notifications/notification-events.ts';
import { enqueueAfterCommit } from '../notifications/notification-outbox.ts';
import { notifyTicketEventOf } from '../realtime/realtime-publisher.ts';
import type { Ticket } from './ticket.entity.ts';
import type { CommentFields } from './ticket.mapper.ts';
import type { TicketEvent } from './ticket-events.ts';

// A reply that changes nothing about its ticket (most replies) is written by one statement: the comment,
// its notification rows and its audit row, conditioned on the ticket still being visible to the caller
// at the version its rules were checked against (db/scoped.ts). One autocommit statement instead of a transaction of six: PostgreSQL parses and
// plans it once per connection, and the audit chain's lock (audit/audit.service.ts) is held for that
// statement's own commit only, not across round trips to the server. Replies that move the ticket
// (a customer answering a waiting ticket, the first staff response) go through the entity path.

/** After the comment (db/scoped.ts): its notification rows and audit row, then what the caller needs. */
const AFTER_COMMENT_SQL = `,
  n as (
    ${notificationInsertSql('c, ')}
    returning id
  ),
  a as (
    ${auditInsertSql('c, ')}
  )
  select (select count(*) from c)::int as written,
         coalesce((select json_agg(id) from n), '[]') as notification_ids,
         pg_current_xact_id()::text as xid`;

/**
 * Writes a reply to `ticket` as read (version included) and tells its mail and live update once it has
 * committed. Returns the comment, or null when the ticket changed since it was read (read it again and
 * ask the rules again).
 */
export async function insertReply(
  em: EntityManager,
  scope: Scope,
  actor: AuditActor,
  ticket: Ticket,
  input: { body: string; internal: boolean },
  now: Date,
): Promise<CommentFields | null> {
  const comment: CommentFields = {
    id: uuidv7(),
    organization: { id: ticket.organization.id },
    ticket: { id: ticket.id },
    author: { id: scope.actorId },
    body: input.body,
    internal: input.internal,
    createdAt: now,
  };
  const event: TicketEvent = { type: 'commented', ticket, comment };
  const mail = await planTicketEventMail(em, scope, event);
  const notifications = mail ? notificationRows(ticket, mail.key, mail.mails) : [];
  const audit = auditRow(actor, {
    action: 'comment.created',
    organizationId: ticket.organization.id,
    entityType: 'comment',
    entityId: comment.id,
    newValue: { ticketId: ticket.id, internal: input.internal },
  });
  const start = insertCommentOnVisibleTicketSql(scope, ticket, {
    id: comment.id,
    organizationId: comment.organization.id,
    authorId: comment.author.id,
    body: comment.body,
    internal: comment.internal,
    createdAt: now,
  });
  const [row] = await queryRows<{ written: number; notification_ids: string[]; xid: string }>(
    em,
    start.sql + AFTER_COMMENT_SQL,
    [...start.params, JSON.stringify(notifications), JSON.stringify([audit])],
  );
  if (!row || row.written === 0) return null;
  notifyTicketEventOf(em, row.xid, scope, event);
  enqueueAfterCommit(em, row.xid, row.notification_ids);
  return comment;
}
