import type { EntityManager } from '@mikro-orm/postgresql';
import { type AuditActor, type AuditEntry, auditInsertSql, auditRow } from '../audit/audit.service.ts';
import type { Scope } from '../auth/scope.ts';
import { newId } from '../db/ids.ts';
import { insertCommentOnVisibleTicketSql, insertTicketSql, type SqlCondition } from '../db/scoped.ts';
import { queryRows } from '../db/sql.ts';
import type { PersonRow } from '../notifications/mail-people.ts';
import {
  type MailPrefetch,
  managerMailOf,
  notificationInsertSql,
  notificationRows,
  planTicketEventMail,
} from '../notifications/notification-events.ts';
import { outboxInsertSql } from '../notifications/notification-outbox.ts';
import { notifyTicketEventOf } from '../realtime/realtime-publisher.ts';
import type { CommentFields, TicketSnapshot } from './ticket.mapper.ts';
import type { TicketEvent } from './ticket-events.ts';

// The two writes that most requests make, each as one autocommit statement: a new ticket, and a reply
// that changes nothing about its ticket (most replies). The statement writes the row, its notification
// rows, its outbox row (with its mail to the managers) and its audit row together, so PostgreSQL parses
// and plans it once per connection, and the audit chain's lock (audit/audit.service.ts) is held for that
// statement's own commit only, not across round trips to the server. Its live update follows the commit
// (db/after-commit.ts); the jobs worker relays its mail (notifications/notification-outbox.ts). Changes
// that move a ticket through the workflow stay with the entities, in a transaction (ticket.service.ts).

/**
 * Writes `start` (a statement of db/scoped.ts whose CTE `depends` returns the written row) with the
 * event's notification rows, its outbox row and `audit`, then queues the event's live update for the
 * commit. Returns false when `depends` wrote nothing (the ticket changed since it was read).
 */
async function writeWithConsequences(
  em: EntityManager,
  scope: Scope,
  start: SqlCondition,
  depends: 't' | 'c',
  event: TicketEvent,
  audit: { actor: AuditActor; entry: AuditEntry },
  prefetched: MailPrefetch,
): Promise<boolean> {
  const mail = await planTicketEventMail(em, scope, event, prefetched);
  const notifications = mail ? notificationRows(event.ticket, mail.key, mail.plan.mails) : [];
  const managerMail = mail ? managerMailOf(event.ticket, mail.key, mail.plan.managers) : null;
  const [row] = await queryRows<{ written: number; xid: string }>(
    em,
    `${start.sql},
      n as (
        ${notificationInsertSql(`${depends}, `)}
        returning id
      ),
      o as (
        ${outboxInsertSql('n', depends)}
      ),
      a as (
        ${auditInsertSql(`${depends}, `)}
      )
      select (select count(*) from ${depends})::int as written,
             pg_current_xact_id()::text as xid`,
    [
      ...start.params,
      JSON.stringify(notifications),
      newId(),
      managerMail ? JSON.stringify(managerMail) : null,
      JSON.stringify([auditRow(audit.actor, audit.entry)]),
    ],
  );
  if (!row || row.written === 0) return false;
  notifyTicketEventOf(em, row.xid, scope, event);
  return true;
}

/**
 * Writes a new ticket, built (not persisted) by the caller with its number, and tells its mail;
 * `prefetched` is what the caller read for the mail along with the requester.
 */
export async function insertNewTicket(
  em: EntityManager,
  scope: Scope,
  actor: AuditActor,
  ticket: TicketSnapshot,
  prefetched: MailPrefetch,
): Promise<void> {
  await writeWithConsequences(
    em,
    scope,
    insertTicketSql(ticket),
    't',
    { type: 'created', ticket },
    {
      actor,
      entry: {
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
      },
    },
    prefetched,
  );
}

/**
 * Writes a reply to `ticket` as read (version included) and tells its mail and live update once it has
 * committed; `people` are the ones read with the ticket (db/scoped.ts `findVisibleTicketWithPeople`).
 * Returns the comment, or null when the ticket changed since it was read (read it again and ask the
 * rules again).
 */
export async function insertReply(
  em: EntityManager,
  scope: Scope,
  actor: AuditActor,
  read: { ticket: TicketSnapshot; people: PersonRow[] },
  input: { body: string; internal: boolean },
  now: Date,
): Promise<CommentFields | null> {
  const { ticket } = read;
  const comment: CommentFields = {
    id: newId(),
    organization: { id: ticket.organization.id },
    ticket: { id: ticket.id },
    author: { id: scope.actorId },
    body: input.body,
    internal: input.internal,
    createdAt: now,
  };
  const start = insertCommentOnVisibleTicketSql(scope, ticket, {
    id: comment.id,
    organizationId: comment.organization.id,
    authorId: comment.author.id,
    body: comment.body,
    internal: comment.internal,
    createdAt: now,
  });
  const written = await writeWithConsequences(
    em,
    scope,
    start,
    'c',
    { type: 'commented', ticket, comment },
    {
      actor,
      entry: {
        action: 'comment.created',
        organizationId: ticket.organization.id,
        entityType: 'comment',
        entityId: comment.id,
        newValue: { ticketId: ticket.id, internal: input.internal },
      },
    },
    { people: read.people },
  );
  return written ? comment : null;
}
