import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import type { SlaAlertKind, SlaClockName } from '../../domain/sla/sla-timers.ts';
import type { Scope } from '../auth/scope.ts';
import { CsatResponse } from '../csat/csat-response.entity.ts';
import { Organization } from '../organizations/organization.entity.ts';
import type { Ticket } from '../tickets/ticket.entity.ts';
import type { TicketEvent, TicketEventHandler } from '../tickets/ticket-events.ts';
import { User } from '../users/user.entity.ts';
import { type MailFacts, type TicketFacts, ZCustomerMailFacts, ZStaffMailFacts } from './mail-facts.ts';
import {
  type MailEvent,
  type MailPeople,
  type MailPerson,
  needsManagers,
  planMail,
} from './notification-plan.ts';

// Ticket events become notification rows and their jobs, inside the transaction of the change: the
// mail exists exactly when its cause committed (SPEC §10). The rows hold the facts of the moment; the
// job renders them (links need PUBLIC_URL, which the worker has) and sends.

/** The graphile-worker task that sends one notification. */
export const SEND_NOTIFICATION_TASK = 'mail/send-notification';

/**
 * Attempts of a mail job. graphile-worker waits exp(min(attempt, 10)) seconds after failed attempt n:
 * attempts 1–9 wait 12,817 s in all (3.6 h), every later one 22,026 s (6.1 h). Thirteen waits (9 + 4)
 * add up to 100,922 s, about 28 h, so 14 attempts keep trying through an SMTP outage of a full day;
 * 13 would stop at 21.9 h.
 */
export const MAIL_MAX_ATTEMPTS = 14;

/** Longest description or comment copied into a mail; the link leads to the rest. */
const MAX_QUOTE_CHARS = 4000;

function excerpt(text: string): string {
  return text.length > MAX_QUOTE_CHARS ? `${text.slice(0, MAX_QUOTE_CHARS)}…` : text;
}

function ticketFacts(ticket: Ticket): TicketFacts {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    status: ticket.status,
    priority: ticket.priority,
  };
}

function person(user: User): MailPerson {
  return { id: user.id, name: user.name, email: user.email, isActive: user.isActive };
}

/** Active MANAGERs and ADMINs. */
async function loadManagers(tx: EntityManager): Promise<MailPerson[]> {
  const managers = await tx.find(
    User,
    { role: { $in: ['MANAGER', 'ADMIN'] }, isActive: true },
    { orderBy: { email: 'asc' } },
  );
  return managers.map(person);
}

/** The requester, assignee and actor in one query, then the managers when the event needs them. */
async function loadPeople(
  tx: EntityManager,
  scope: Scope,
  ticket: Ticket,
  event: MailEvent,
): Promise<MailPeople> {
  const actorId = scope.role === 'SYSTEM' ? null : scope.actorId;
  const ids = [ticket.createdBy.id, ticket.assignedTo?.id, actorId].filter((id): id is string => !!id);
  const users = new Map((await tx.find(User, { id: { $in: ids } })).map((user) => [user.id, user]));
  const requester = users.get(ticket.createdBy.id);
  if (!requester) throw new Error(`ticket ${ticket.id} has no requester`);
  const assignee = ticket.assignedTo ? (users.get(ticket.assignedTo.id) ?? null) : null;
  const actor = actorId ? users.get(actorId) : undefined;
  return {
    actor: actorId ? { id: actorId, name: actor?.name ?? 'ATUM DESK' } : null,
    requester: person(requester),
    assignee: assignee ? person(assignee) : null,
    managers: needsManagers(event, !!assignee?.isActive) ? await loadManagers(tx) : [],
  };
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
      const organization = await tx.findOne(Organization, event.ticket.organization.id);
      const requester = await tx.findOne(User, event.ticket.createdBy.id);
      return {
        key: `ticket:${ticket.id}:created`,
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
        key: `comment:${event.comment.id}`,
        mail: {
          type: 'commented',
          ticket,
          internal: event.comment.internal,
          byCustomer: scope.role === 'CUSTOMER_USER' || scope.role === 'CUSTOMER_ADMIN',
          body: excerpt(event.comment.body),
        },
      };
    case 'sla_alert':
      return slaMailEvent(event.ticket, event.kind, event.clock);
    default:
      return null;
  }
}

function slaMailEvent(
  ticket: Ticket,
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

/**
 * Writes one notification per planned mail and adds its job, in one statement on the transaction's
 * connection. A row whose event and address exist already is skipped with its job, so telling the same
 * event twice (a retried SLA check) mails nobody twice. Returns the number of new notifications.
 */
export async function storeNotifications(
  tx: EntityManager,
  ticket: Ticket,
  eventKey: string,
  mails: ReturnType<typeof planMail>,
): Promise<number> {
  if (mails.length === 0) return 0;
  const rows = mails.map((mail) => ({
    id: uuidv7(),
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
  const added = await tx.execute<{ notification_id: string }[]>(
    `with planned as (
       select * from jsonb_to_recordset(?::jsonb) as r(
         id uuid, organization_id uuid, ticket_id uuid, recipient_id uuid, to_address text, to_name text,
         kind text, audience text, event_key text, facts jsonb)
     ), inserted as (
       insert into notifications
         (id, organization_id, ticket_id, recipient_id, to_address, to_name, kind, audience, event_key, facts)
       select id, organization_id, ticket_id, recipient_id, to_address, to_name, kind, audience, event_key, facts
       from planned
       on conflict (event_key, to_address) do nothing
       returning id
     )
     select inserted.id as notification_id,
            graphile_worker.add_job(
              identifier => ?, payload => json_build_object('notificationId', inserted.id),
              max_attempts => ?) as job
     from inserted`,
    [JSON.stringify(rows), SEND_NOTIFICATION_TASK, MAIL_MAX_ATTEMPTS],
  );
  return added.length;
}

/** Decides and enqueues the mails of a ticket event; registered in ticket-events.ts. */
export const mailOnTicketEvent: TicketEventHandler = async (tx, scope, event) => {
  const described = await describeEvent(tx, scope, event);
  if (!described) return;
  const people = await loadPeople(tx, scope, event.ticket, described.mail);
  await storeNotifications(tx, event.ticket, described.key, planMail(described.mail, people));
};

/**
 * Mails the managers an SLA warning or breach of `ticket`'s `clock`, inside the caller's transaction
 * (the SLA engine's, when it records the alert). Safe to call twice for the same alert.
 */
export async function enqueueSlaMail(
  tx: EntityManager,
  ticket: Ticket,
  kind: SlaAlertKind,
  clock: SlaClockName,
): Promise<number> {
  const { mail, key } = slaMailEvent(ticket, kind, clock);
  const people: MailPeople = {
    actor: null,
    requester: { id: '', name: '', email: '', isActive: false },
    assignee: null,
    managers: await loadManagers(tx),
  };
  return storeNotifications(tx, ticket, key, planMail(mail, people));
}
