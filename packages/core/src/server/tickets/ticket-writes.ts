import type { EntityManager } from '@mikro-orm/postgresql';
import { type AuditActor, type AuditEntry, auditInsertSql, auditRow } from '../audit/audit.service.ts';
import type { Scope } from '../auth/scope.ts';
import { newId } from '../db/ids.ts';
import {
  type CommentedTicketRow,
  headlineFromRow,
  insertQuietCommentSql,
  insertTicketSql,
  type SqlCondition,
} from '../db/scoped.ts';
import { queryRows } from '../db/sql.ts';
import {
  commentIsByCustomer,
  commentMailKey,
  excerpt,
  type MailPrefetch,
  managerMailOf,
  notificationInsertSql,
  notificationRows,
  planTicketEventMail,
} from '../notifications/notification-events.ts';
import { outboxInsertSql } from '../notifications/notification-outbox.ts';
import { type OutboxMailEventOfCaller, outboxMailEventInsertSql } from '../notifications/outbox-mail.ts';
import type { CounterRow } from '../rate-limits/rate-limiter.ts';
import { notifyTicketEventOf } from '../realtime/realtime-publisher.ts';
import type { CommentFields, TicketSnapshot } from './ticket.mapper.ts';
import type { TicketEvent } from './ticket-events.ts';

// The two writes that most requests make, each as one autocommit statement: a new ticket, and a reply
// that changes nothing about its ticket (most replies). The statement writes the row, its mail (a new
// ticket's notification rows and outbox row; a reply's outbox row recording its mail event, which the
// jobs worker plans: notifications/outbox-mail.ts) and its audit row together, so PostgreSQL parses and
// plans it once per connection, and the audit chain's lock (audit/audit.service.ts) is held for that
// statement's own commit only, not across round trips to the server. Its live update follows the commit
// (db/after-commit.ts); the jobs worker relays its mail (notifications/notification-outbox.ts). Changes
// that move a ticket through the workflow stay with the entities, in a transaction (ticket.service.ts).

/**
 * What a new ticket's statement knows before its caller does, and writes into the mail's facts: the
 * number its insert took (CTE `t` returns it) and its organization's name.
 */
const NUMBERED_FACTS_SQL = `jsonb_set(r.facts, '{ticket,number}', to_jsonb(t.number))`;
const NUMBERED_MANAGER_MAIL_SQL = `jsonb_set(jsonb_set(?::jsonb, '{facts,ticket,number}', (select to_jsonb(t.number) from t)),
        '{facts,organizationName}', (select to_jsonb(org.name) from organizations org where org.id = ?::uuid))`;

/** What the statement of `writeWithConsequences` tells. */
interface Written {
  /** Whether the ticket was written (not when a limit refused it). */
  written: boolean;
  /** The new ticket's number. */
  number: number;
  /** The hourly limit's counter, when the statement counted a hit (CTE `limited`). */
  counter: CounterRow | null;
}

/**
 * Writes a new ticket's statement `start` (db/scoped.ts `insertTicketSql`, whose CTE `t` returns the
 * ticket's id and number) with the event's notification rows, its outbox row and `audit`, then queues the
 * event's live update for the commit. The mail's facts and the live event take the number and the
 * organization's name from the statement; with `limited` it returns the limit's counter.
 */
async function writeWithConsequences(
  em: EntityManager,
  scope: Scope,
  start: SqlCondition,
  event: TicketEvent & { type: 'created' },
  audit: { actor: AuditActor; entry: AuditEntry },
  prefetched: MailPrefetch,
  numbered: { organizationId: string; limited: boolean },
): Promise<Written> {
  const mail = await planTicketEventMail(em, scope, event, prefetched);
  const notifications = mail ? notificationRows(event.ticket, mail.key, mail.plan.mails) : [];
  const managerMail = mail ? managerMailOf(event.ticket, mail.key, mail.plan.managers) : null;
  const [row] = await queryRows<
    { written: number; number: string | null; xid: string } & Partial<CounterRow>
  >(
    em,
    `${start.sql},
      n as (
        ${notificationInsertSql('t, ', NUMBERED_FACTS_SQL)}
        returning id
      ),
      o as (
        ${outboxInsertSql('n', 't', NUMBERED_MANAGER_MAIL_SQL)}
      ),
      a as (
        ${auditInsertSql('t, ')}
      )
      select (select count(*) from t)::int as written,
             (select t.number from t)::text as number,
             pg_current_xact_id()::text as xid${
               numbered.limited ? ', l.points, l.reset_ms, l.retry_after from limited l' : ''
             }`,
    [
      ...start.params,
      JSON.stringify(notifications),
      newId(),
      managerMail ? JSON.stringify(managerMail) : null,
      numbered.organizationId,
      JSON.stringify([auditRow(audit.actor, audit.entry)]),
    ],
  );
  if (!row) throw new Error('a write statement returned no row');
  const counter =
    row.points === undefined || row.reset_ms === undefined || row.retry_after === undefined
      ? null
      : { points: row.points, reset_ms: row.reset_ms, retry_after: row.retry_after };
  const number = row.number === null ? 0 : Number(row.number);
  if (row.written === 0) return { written: false, number, counter };
  notifyTicketEventOf(em, row.xid, scope, { type: 'created', ticket: { ...event.ticket, number } });
  return { written: true, number, counter };
}

/** A new ticket as its caller builds it: everything but the number, which its statement takes. */
export type NewTicket = Omit<TicketSnapshot, 'number'>;

/**
 * Writes a new ticket, built (not persisted) by the caller, with its mail; `prefetched` is what the
 * caller read (or the session gave) for the mail. With `limit` (a counter upsert of
 * rate-limits/rate-limiter.ts and the points it allows), the statement counts the hit first and writes
 * the ticket only if it is allowed. Returns the ticket with its number, or null when the limit refused
 * it, and the counter's row when there was a limit.
 */
export async function insertNewTicket(
  em: EntityManager,
  scope: Scope,
  actor: AuditActor,
  ticket: NewTicket,
  prefetched: MailPrefetch,
  limit?: { cte: SqlCondition; points: number },
): Promise<{ ticket: TicketSnapshot | null; counter: CounterRow | null }> {
  // The facts are planned with a number of 0, which the statement replaces.
  const placeholder: TicketSnapshot = { ...ticket, number: 0 };
  const written = await writeWithConsequences(
    em,
    scope,
    insertTicketSql(ticket, limit),
    { type: 'created', ticket: placeholder },
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
    { organizationId: ticket.organization.id, limited: limit !== undefined },
  );
  return {
    ticket: written.written ? { ...ticket, number: written.number } : null,
    counter: written.counter,
  };
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
  const event: OutboxMailEventOfCaller = {
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
        ${outboxMailEventInsertSql('t', 'c')}
      ),
      a as (
        ${auditInsertSql('c, t, ', 't.organization_id')}
      )
      select t.*, pg_current_xact_id()::text as xid from t`,
    [...start.params, newId(), JSON.stringify(event), JSON.stringify([audit])],
  );
  if (!row) return null;
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
