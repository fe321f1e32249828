import type { NotificationAudience } from '../../domain/notifications/notification.schema.ts';
import type { SlaAlertKind, SlaClockName } from '../../domain/sla/sla-timers.ts';
import type { TicketStatus } from '../../domain/tickets/ticket-enums.ts';
import type { TicketAction } from '../../domain/tickets/ticket-workflow.ts';
import type { MailFacts, TicketFacts } from './mail-facts.ts';

// Who gets which mail for each event (SPEC §10), as one pure function: the handler gathers the people,
// this decides. Two rules hold for every event: nobody is mailed about what they did themselves (the
// requester's receipt for their own ticket is the one exception), and inactive users get nothing.

/** A user who may receive mail. */
export interface MailPerson {
  id: string;
  name: string;
  email: string;
  isActive: boolean;
}

/** What happened, with the details the templates need. */
export type MailEvent =
  | {
      type: 'created';
      ticket: TicketFacts;
      requesterName: string;
      organizationName: string;
      description: string;
    }
  | {
      type: 'transitioned';
      ticket: TicketFacts;
      action: TicketAction;
      from: TicketStatus;
      to: TicketStatus;
      fromAssigneeId: string | null;
      /** The rejection reason the customer sees. */
      reason: string | null;
      resolution: string | null;
      /** Whether the resolved mail asks for a rating (not once the ticket has one). */
      survey: boolean;
    }
  | { type: 'commented'; ticket: TicketFacts; internal: boolean; byCustomer: boolean; body: string }
  | { type: 'sla_alert'; ticket: TicketFacts; clock: SlaClockName; kind: SlaAlertKind; dueAt: string | null };

/** The people around the ticket when it happened. */
export interface MailPeople {
  /** Who caused the event; null for the system. */
  actor: { id: string; name: string } | null;
  requester: MailPerson;
  /** The assignee after the event. */
  assignee: MailPerson | null;
}

/** One mail to send. */
export interface PlannedMail {
  recipient: MailPerson;
  audience: NotificationAudience;
  facts: MailFacts;
}

/**
 * One staff mail to every active MANAGER and ADMIN but `except`: the change records it once, and the
 * jobs worker writes a mail per manager (manager-mail.ts), so a change does not carry a row per manager.
 * `facts.recipientName` is filled in per manager.
 */
export interface PlannedManagerMail {
  /** The one who acted and everyone mailed about the event already. */
  except: string[];
  facts: MailFacts;
}

/** The mails an event causes. */
export interface MailPlan {
  mails: PlannedMail[];
  managers: PlannedManagerMail | null;
}

/** The name mail shows for the one who acted. */
function actorName(people: MailPeople): string {
  return people.actor?.name ?? 'ATUM DESK';
}

/** The mails an event causes, at most one per person. */
export function planMail(event: MailEvent, people: MailPeople): MailPlan {
  const planned: PlannedMail[] = [];
  const seen = new Set<string>();
  let managers: PlannedManagerMail | null = null;
  // Added last in each case, so that `except` holds everyone mailed directly.
  const addManagers = (facts: MailFacts) => {
    const except = [...seen];
    if (people.actor && !seen.has(people.actor.id)) except.push(people.actor.id);
    managers = { except, facts };
  };
  const add = (
    recipient: MailPerson | null,
    audience: NotificationAudience,
    facts: (recipientName: string) => MailFacts,
    options: { evenIfActor?: boolean } = {},
  ) => {
    if (!recipient?.isActive || seen.has(recipient.id)) return;
    if (!options.evenIfActor && recipient.id === people.actor?.id) return;
    seen.add(recipient.id);
    planned.push({ recipient, audience, facts: facts(recipient.name) });
  };
  const ticket = event.ticket;

  switch (event.type) {
    case 'created':
      // The receipt confirms the request reached us, so the requester gets it even for their own.
      add(
        people.requester,
        'customer',
        (recipientName) => ({ kind: 'ticket_received', ticket, recipientName }),
        {
          evenIfActor: true,
        },
      );
      addManagers({
        kind: 'ticket_created',
        ticket,
        recipientName: '',
        requesterName: event.requesterName,
        organizationName: event.organizationName,
        description: event.description,
      });
      break;

    case 'transitioned':
      switch (event.action) {
        case 'accept':
          add(people.requester, 'customer', (recipientName) => ({
            kind: 'ticket_accepted',
            ticket,
            recipientName,
          }));
          break;
        case 'reject':
          add(people.requester, 'customer', (recipientName) => ({
            kind: 'ticket_rejected',
            ticket,
            recipientName,
            reason: event.reason ?? '',
          }));
          break;
        case 'resolve':
          add(people.requester, 'customer', (recipientName) => ({
            kind: 'ticket_resolved',
            ticket,
            recipientName,
            resolution: event.resolution ?? '',
            survey: event.survey,
          }));
          break;
        case 'assign':
          // Staffing is the desk's business: the new assignee hears of it, the customer hears when
          // work starts. Reassigning to the same person is no news.
          if (people.assignee && people.assignee.id !== event.fromAssigneeId) {
            add(people.assignee, 'staff', (recipientName) => ({
              kind: 'ticket_assigned',
              ticket,
              recipientName,
              assignedByName: actorName(people),
            }));
          }
          break;
        default:
          if (event.from !== event.to) {
            add(people.requester, 'customer', (recipientName) => ({
              kind: 'ticket_status_changed',
              ticket,
              recipientName,
              from: event.from,
              to: event.to,
            }));
          }
      }
      break;

    case 'commented': {
      const fields = { ticket, authorName: actorName(people), body: event.body };
      if (event.internal) {
        add(people.assignee, 'staff', (recipientName) => ({
          kind: 'internal_note',
          ...fields,
          recipientName,
        }));
      } else if (!event.byCustomer) {
        add(people.requester, 'customer', (recipientName) => ({
          kind: 'public_reply',
          ...fields,
          recipientName,
        }));
      } else {
        // The customer's answer goes to whoever holds the ticket, or to the managers while nobody does.
        if (people.assignee?.isActive) {
          add(people.assignee, 'staff', (recipientName) => ({
            kind: 'customer_reply',
            ...fields,
            recipientName,
          }));
        } else {
          addManagers({ kind: 'customer_reply', ...fields, recipientName: '' });
        }
      }
      break;
    }

    case 'sla_alert':
      addManagers({
        kind: event.kind === 'breach' ? 'sla_breach' : 'sla_warning',
        ticket,
        recipientName: '',
        clock: event.clock,
        dueAt: event.dueAt,
      });
      break;
  }
  return { mails: planned, managers };
}
