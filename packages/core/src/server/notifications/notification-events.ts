import type { EntityManager } from '@mikro-orm/postgresql';
import type { SlaAlertKind, SlaClockName } from '../../domain/sla/sla-timers.ts';
import type { Scope } from '../auth/scope.ts';
import { CsatResponse } from '../csat/csat-response.entity.ts';
import { newId } from '../db/ids.ts';
import { queryRows } from '../db/sql.ts';
import { Organization } from '../organizations/organization.entity.ts';
import type { TicketFields, TicketHeadline } from '../tickets/ticket.mapper.ts';
import type { TicketEvent, TicketEventHandler } from '../tickets/ticket-events.ts';
import { User } from '../users/user.entity.ts';
import { type MailFacts, type TicketFacts, ZCustomerMailFacts, ZStaffMailFacts } from './mail-facts.ts';
import { type PersonRow, peopleJsonSql, personOfRow } from './mail-people.ts';
import type { ManagerMail } from './manager-mail.ts';
import { outboxInsertSql } from './notification-outbox.ts';
import {
  type MailEvent,
  type MailPeople,
  type MailPlan,
  type PlannedMail,
  type PlannedManagerMail,
  planMail,
} from './notification-plan.ts';

// Ticket events become notification rows inside the transaction of the change: the mail exists exactly
// when its cause committed (SPEC §10). Their send jobs are added by the jobs worker's outbox relay
// (notification-outbox.ts). The rows hold the facts of the moment; the job renders them (links need
// PUBLIC_URL, which the worker has) and sends. Two exceptions: the mail to every manager, which the
// change records once in its outbox row for the worker to write out per manager (manager-mail.ts), and
// the mail of the one-statement writes (a new ticket, a reply that changes nothing), which record their
// event for the worker to plan (outbox-mail.ts).

/** Longest description or comment copied into a mail; the link leads to the rest. */
const MAX_QUOTE_CHARS = 4000;

export function excerpt(text: string): string {
  return text.length > MAX_QUOTE_CHARS ? `${text.slice(0, MAX_QUOTE_CHARS)}…` : text;
}

function ticketFacts(ticket: TicketHeadline): TicketFacts {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    status: ticket.status,
    priority: ticket.priority,
  };
}

/** The requester, assignee and actor, in one query. */
async function loadPeople(tx: EntityManager, scope: Scope, ticket: TicketHeadline): Promise<MailPeople> {
  const actorId = scope.role === 'SYSTEM' ? null : scope.actorId;
  const rows = await queryPeople(tx, ticket, actorId);
  return mailPeopleOf(new Map(rows.map((row) => [row.id, row])), {
    ticketId: ticket.id,
    requesterId: ticket.createdBy.id,
    assigneeId: ticket.assignedTo?.id ?? null,
    actorId,
  });
}

/** The `MailPeople` of a ticket event, its users looked up in `users` (read by the caller). */
export function mailPeopleOf(
  users: ReadonlyMap<string, PersonRow>,
  ids: { ticketId: string; requesterId: string; assigneeId: string | null; actorId: string | null },
): MailPeople {
  const requester = users.get(ids.requesterId);
  if (!requester) throw new Error(`ticket ${ids.ticketId} has no requester`);
  const assignee = ids.assigneeId ? (users.get(ids.assigneeId) ?? null) : null;
  const actor = ids.actorId ? users.get(ids.actorId) : undefined;
  return {
    actor: ids.actorId ? { id: ids.actorId, name: actor?.name ?? 'ATUM DESK' } : null,
    requester: personOfRow(requester),
    assignee: assignee ? personOfRow(assignee) : null,
  };
}

async function queryPeople(
  tx: EntityManager,
  ticket: TicketHeadline,
  actorId: string | null,
): Promise<PersonRow[]> {
  const [row] = await queryRows<{ people: PersonRow[] }>(
    tx,
    `select ${peopleJsonSql('?::uuid', '?::uuid')} as people`,
    [ticket.createdBy.id, ticket.assignedTo?.id ?? null, actorId],
  );
  return row?.people ?? [];
}

/** The event in the terms of the mail plan, and the key that names it; null for events without mail. */
async function describeEvent(
  tx: EntityManager,
  scope: Scope,
  event: TicketEvent,
): Promise<{ mail: MailEvent; key: string } | null> {
  const ticket = ticketFacts(event.ticket);
  switch (event.type) {
    case 'created': {
      // New tickets record their mail for the jobs worker (tickets/ticket-writes.ts); this is the
      // event told by anything else.
      const requester = await tx.findOne(User, event.ticket.createdBy.id);
      const organization = await tx.findOne(Organization, event.ticket.organization.id);
      return {
        key: createdMailKey(ticket.id),
        mail: {
          type: 'created',
          ticket,
          requesterName: requester?.name ?? '',
          organizationName: organization?.name ?? '',
          description: excerpt(event.ticket.description),
        },
      };
    }
    case 'transitioned': {
      const resolved = event.action === 'resolve';
      const answered = resolved ? await tx.count(CsatResponse, { ticket: ticket.id }) : 0;
      return {
        // A change is conditioned on the version it read, so version and action name it once.
        key: `ticket:${ticket.id}:v${event.ticket.version}:${event.action}`,
        mail: {
          type: 'transitioned',
          ticket,
          action: event.action,
          from: event.from,
          to: event.ticket.status,
          fromAssigneeId: event.fromAssigneeId,
          reason: event.ticket.cancelReason ?? null,
          resolution: event.ticket.resolution ?? null,
          survey: answered === 0,
        },
      };
    }
    case 'commented':
      return {
        key: commentMailKey(event.comment.id),
        mail: {
          type: 'commented',
          ticket,
          internal: event.comment.internal,
          byCustomer: commentIsByCustomer(scope),
          body: excerpt(event.comment.body),
        },
      };
    case 'sla_alert':
      return slaMailEvent(event.ticket, event.kind, event.clock);
    default:
      return null;
  }
}

/** The key naming a new ticket's mail. */
export function createdMailKey(ticketId: string): string {
  return `ticket:${ticketId}:created`;
}

/** The key naming a comment's mail. */
export function commentMailKey(commentId: string): string {
  return `comment:${commentId}`;
}

/** Whether a comment by the caller is a customer's answer (mailed to staff) rather than staff's. */
export function commentIsByCustomer(scope: Scope): boolean {
  return scope.role === 'CUSTOMER_USER' || scope.role === 'CUSTOMER_ADMIN';
}

function slaMailEvent(
  ticket: TicketFields,
  kind: SlaAlertKind,
  clock: SlaClockName,
): { mail: MailEvent; key: string } {
  const due = clock === 'first_response' ? ticket.firstResponseDueAt : ticket.resolutionDueAt;
  const dueAt = due ? due.toISOString() : null;
  return {
    // A due time that moved makes a new alert; the same alert told twice is one mail.
    key: `sla:${ticket.id}:${clock}:${kind}:${dueAt ?? 'none'}`,
    mail: { type: 'sla_alert', ticket: ticketFacts(ticket), clock, kind, dueAt },
  };
}

/** Checks the facts against their audience's schema: a customer row can only hold customer fields. */
function checkedFacts(audience: 'customer' | 'staff', facts: MailFacts): MailFacts {
  return audience === 'customer' ? ZCustomerMailFacts.parse(facts) : ZStaffMailFacts.parse(facts);
}

/** One notifications row as the insert reads it from JSON. */
export interface NotificationRow {
  id: string;
  organization_id: string;
  ticket_id: string;
  recipient_id: string;
  to_address: string;
  to_name: string;
  kind: MailFacts['kind'];
  audience: 'customer' | 'staff';
  event_key: string;
  facts: MailFacts;
}

/** The notification rows of `mails`, their facts checked against their audience's schema. */
export function notificationRows(
  ticket: { id: string; organization: { id: string } },
  eventKey: string,
  mails: PlannedMail[],
): NotificationRow[] {
  return mails.map((mail) => ({
    id: newId(),
    organization_id: ticket.organization.id,
    ticket_id: ticket.id,
    recipient_id: mail.recipient.id,
    to_address: mail.recipient.email,
    to_name: mail.recipient.name.slice(0, 200),
    kind: mail.facts.kind,
    audience: mail.audience,
    event_key: eventKey,
    facts: checkedFacts(mail.audience, mail.facts),
  }));
}

/** The manager mail of an event as its change records it, its facts checked; null for none. */
export function managerMailOf(
  ticket: { id: string; organization: { id: string } },
  eventKey: string,
  managers: PlannedManagerMail | null,
): ManagerMail | null {
  if (!managers) return null;
  return {
    organizationId: ticket.organization.id,
    ticketId: ticket.id,
    eventKey,
    except: managers.except,
    facts: ZStaffMailFacts.parse(managers.facts),
  };
}

/**
 * An insert of the notification rows given as one JSON array parameter, skipping a row whose event and
 * address exist already (telling the same event twice, as a retried SLA check does, mails nobody twice).
 * `from` adds relations before the rows' (`c, ` makes the rows depend on a CTE `c` having a row);
 * `facts` is the expression of a row's facts over the row `r` (a new ticket's statement writes its
 * number into them: tickets/ticket-writes.ts); `rows` is the expression of the JSON array, by default
 * the parameter itself.
 */
export function notificationInsertSql(from = '', facts = 'r.facts', rows = '?::jsonb'): string {
  return `insert into notifications
       (id, organization_id, ticket_id, recipient_id, to_address, to_name, kind, audience, event_key, facts)
     select r.id, r.organization_id, r.ticket_id, r.recipient_id, r.to_address, r.to_name, r.kind, r.audience,
            r.event_key, ${facts}
       from ${from}jsonb_to_recordset(${rows}) as r(
         id uuid, organization_id uuid, ticket_id uuid, recipient_id uuid, to_address text, to_name text,
         kind text, audience text, event_key text, facts jsonb)
     on conflict (event_key, to_address) do nothing`;
}

/**
 * Writes one notification per planned mail and the outbox row naming the new ones with the manager mail,
 * in one statement on the transaction's connection; the jobs worker adds their jobs once it has
 * committed (notification-outbox.ts). Returns the new rows' ids and the outbox row's id.
 */
export async function insertNotifications(
  tx: EntityManager,
  ticket: { id: string; organization: { id: string } },
  eventKey: string,
  plan: MailPlan,
): Promise<{ ids: string[]; outboxId: string | null }> {
  const managerMail = managerMailOf(ticket, eventKey, plan.managers);
  if (plan.mails.length === 0 && !managerMail) return { ids: [], outboxId: null };
  const [row] = await tx.execute<{ ids: string[]; outbox_id: string | null }[]>(
    `with n as (
       ${notificationInsertSql()}
       returning id
     ),
     o as (
       ${outboxInsertSql('n')}
     )
     select coalesce((select json_agg(id) from n), '[]') as ids, (select id from o) as outbox_id`,
    [
      JSON.stringify(notificationRows(ticket, eventKey, plan.mails)),
      newId(),
      managerMail ? JSON.stringify(managerMail) : null,
    ],
  );
  return { ids: row?.ids ?? [], outboxId: row?.outbox_id ?? null };
}

/**
 * Writes one notification per planned mail (and the manager mail) in the transaction of `tx`, for the
 * jobs worker to send once it commits. Returns the number of new notifications, the managers' not counted.
 */
export async function storeNotifications(
  tx: EntityManager,
  ticket: { id: string; organization: { id: string } },
  eventKey: string,
  plan: MailPlan,
): Promise<number> {
  const { ids } = await insertNotifications(tx, ticket, eventKey, plan);
  return ids.length;
}

/** The mails of a ticket event and the key that names it; null for events without mail. */
async function planTicketEventMail(
  em: EntityManager,
  scope: Scope,
  event: TicketEvent,
): Promise<{ key: string; plan: MailPlan } | null> {
  const described = await describeEvent(em, scope, event);
  if (!described) return null;
  const people = await loadPeople(em, scope, event.ticket);
  return { key: described.key, plan: planMail(described.mail, people) };
}

/** Decides and enqueues the mails of a ticket event; registered in ticket-events.ts. */
export const mailOnTicketEvent: TicketEventHandler = async (tx, scope, event) => {
  const planned = await planTicketEventMail(tx, scope, event);
  if (planned) await storeNotifications(tx, event.ticket, planned.key, planned.plan);
};

/**
 * Mails the managers an SLA warning or breach of `ticket`'s `clock`, inside the caller's transaction
 * (the SLA engine's, when it records the alert): a manager mail, written out per manager by its job.
 * Safe to call twice for the same alert (the second writes no mail twice).
 */
export async function enqueueSlaMail(
  tx: EntityManager,
  ticket: TicketFields,
  kind: SlaAlertKind,
  clock: SlaClockName,
): Promise<void> {
  const { mail, key } = slaMailEvent(ticket, kind, clock);
  const people: MailPeople = {
    actor: null,
    requester: { id: '', name: '', email: '', isActive: false },
    assignee: null,
  };
  await storeNotifications(tx, ticket, key, planMail(mail, people));
}
