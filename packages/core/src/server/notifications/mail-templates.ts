import type { TicketStatus } from '../../domain/tickets/ticket-enums.ts';
import { priorityLabel } from '../../domain/tickets/ticket-enums.ts';
import type { CustomerMailFacts, MailFacts, StaffMailFacts, TicketFacts } from './mail-facts.ts';
import { type MailContent, renderHtml, renderText } from './mail-html.ts';

// One template per notification kind: a subject, and content for the HTML and plain-text layouts.
// Customer templates take only CustomerMailFacts, which have no field for internal content; staff
// templates link to the desk, customer templates to the portal.

/** A rendered mail. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Where links point. */
export interface MailLinks {
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  /** The signed survey link, for `ticket_resolved` mails that ask for a rating. */
  surveyUrl?: string | undefined;
}

/** How customers read a status. */
const CUSTOMER_STATUS: Record<TicketStatus, string> = {
  NEW: 'new',
  ACCEPTED: 'accepted',
  ASSIGNED: 'assigned to an agent',
  IN_PROGRESS: 'in progress',
  WAITING_CUSTOMER: 'waiting for your reply',
  RESOLVED: 'resolved',
  CLOSED: 'closed',
  CANCELLED: 'cancelled',
};

const CLOCK_NAMES = { first_response: 'first response', resolution: 'resolution' } as const;

/** Subject lines are one line: a title cannot inject a header or break the line. */
function oneLine(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** `[ATUM DESK #<number>] <title> — <what happened>`. */
export function mailSubject(ticket: TicketFacts, what: string): string {
  return `[ATUM DESK #${ticket.number}] ${oneLine(ticket.title)} — ${what}`;
}

function ticketLine(ticket: TicketFacts): string {
  return `Ticket #${ticket.number}: ${oneLine(ticket.title)}`;
}

function formatDue(iso: string | null): string {
  if (!iso) return 'not set';
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function customerContent(facts: CustomerMailFacts, links: MailLinks): { what: string; content: MailContent } {
  const ticket = facts.ticket;
  const url = `${links.publicUrl}/portal/tickets/${ticket.id}`;
  const greeting = `Hello ${facts.recipientName},`;
  const footer = `You receive this mail because you requested ticket #${ticket.number}.`;
  const view = { label: 'View your ticket', url };
  switch (facts.kind) {
    case 'ticket_received':
      return {
        what: 'we received your request',
        content: {
          greeting,
          paragraphs: [
            `Thank you for contacting us. Your request was filed as ticket #${ticket.number}, "${oneLine(ticket.title)}".`,
            'A support manager will review it shortly. You can follow it and add information on the portal.',
          ],
          action: view,
          footer,
        },
      };
    case 'ticket_accepted':
      return {
        what: 'accepted',
        content: {
          greeting,
          paragraphs: [`${ticketLine(ticket)} was accepted by our support team. We are on it.`],
          action: view,
          footer,
        },
      };
    case 'ticket_rejected':
      return {
        what: 'declined',
        content: {
          greeting,
          paragraphs: [`${ticketLine(ticket)} was declined by our support team.`],
          quote: { label: 'Reason', text: facts.reason },
          action: view,
          footer,
        },
      };
    case 'ticket_status_changed':
      return {
        what: `now ${CUSTOMER_STATUS[facts.to]}`,
        content: {
          greeting,
          paragraphs: [
            `${ticketLine(ticket)} is now ${CUSTOMER_STATUS[facts.to]} (it was ${CUSTOMER_STATUS[facts.from]}).`,
            ...(facts.to === 'WAITING_CUSTOMER'
              ? ['We need some information from you to continue. Please reply on the portal.']
              : []),
          ],
          action: facts.to === 'WAITING_CUSTOMER' ? { label: 'Reply on the portal', url } : view,
          footer,
        },
      };
    case 'ticket_resolved': {
      const survey = facts.survey && links.surveyUrl;
      return {
        what: 'resolved',
        content: {
          greeting,
          paragraphs: [
            `${ticketLine(ticket)} is resolved.`,
            ...(survey
              ? ['How did we do? Rating our service takes a few seconds: one click, from 1 to 5.']
              : []),
            'If the problem is not solved, reply on the portal within 7 days and we will reopen it.',
          ],
          quote: facts.resolution ? { label: 'Resolution', text: facts.resolution } : undefined,
          action: survey ? { label: 'Rate our service', url: survey } : view,
          secondary: survey ? view : undefined,
          footer,
        },
      };
    }
    case 'public_reply':
      return {
        what: 'new reply',
        content: {
          greeting,
          paragraphs: [`${facts.authorName} replied on ${ticketLine(ticket)}.`],
          quote: { label: 'Reply', text: facts.body },
          action: { label: 'Reply on the portal', url },
          footer,
        },
      };
  }
}

function staffContent(facts: StaffMailFacts, links: MailLinks): { what: string; content: MailContent } {
  const ticket = facts.ticket;
  const url = `${links.publicUrl}/desk/tickets/${ticket.id}`;
  const greeting = `Hello ${facts.recipientName},`;
  const open = { label: 'Open in the desk', url };
  const priority = `${priorityLabel(ticket.priority)} ${ticket.priority.toLowerCase()}`;
  switch (facts.kind) {
    case 'ticket_created':
      return {
        what: 'new ticket waiting for acceptance',
        content: {
          greeting,
          paragraphs: [
            `${facts.requesterName} (${facts.organizationName}) opened ${ticketLine(ticket)}, priority ${priority}.`,
            'It waits in the inbox for a manager to accept or reject it.',
          ],
          quote: { label: 'Description', text: facts.description },
          action: { label: 'Review in the inbox', url },
          footer: 'You receive this mail as a manager of ATUM DESK.',
        },
      };
    case 'ticket_assigned':
      return {
        what: 'assigned to you',
        content: {
          greeting,
          paragraphs: [
            `${facts.assignedByName} assigned ${ticketLine(ticket)} to you (priority ${priority}).`,
          ],
          action: open,
          footer: 'You receive this mail because the ticket was assigned to you.',
        },
      };
    case 'customer_reply':
      return {
        what: 'customer replied',
        content: {
          greeting,
          paragraphs: [`${facts.authorName} replied on ${ticketLine(ticket)}.`],
          quote: { label: 'Reply', text: facts.body },
          action: open,
          footer: 'You receive this mail because you hold the ticket, or as a manager while nobody does.',
        },
      };
    case 'internal_note':
      return {
        what: 'internal note',
        content: {
          greeting,
          paragraphs: [`${facts.authorName} added an internal note on ${ticketLine(ticket)}.`],
          quote: { label: 'Internal note (staff only)', text: facts.body },
          action: open,
          footer: 'You receive this mail because the ticket is assigned to you.',
        },
      };
    case 'sla_warning':
    case 'sla_breach': {
      const clock = CLOCK_NAMES[facts.clock];
      const breach = facts.kind === 'sla_breach';
      return {
        what: breach ? `SLA breached: ${clock} overdue` : `SLA warning: ${clock} due soon`,
        content: {
          greeting,
          paragraphs: [
            breach
              ? `The ${clock} target of ${ticketLine(ticket)} (priority ${priority}) passed its due time, ${formatDue(facts.dueAt)}.`
              : `The ${clock} target of ${ticketLine(ticket)} (priority ${priority}) is due at ${formatDue(facts.dueAt)}.`,
          ],
          action: open,
          footer: 'You receive this mail as a manager of ATUM DESK.',
        },
      };
    }
  }
}

function isCustomerFacts(facts: MailFacts): facts is CustomerMailFacts {
  return (
    facts.kind === 'ticket_received' ||
    facts.kind === 'ticket_accepted' ||
    facts.kind === 'ticket_rejected' ||
    facts.kind === 'ticket_status_changed' ||
    facts.kind === 'ticket_resolved' ||
    facts.kind === 'public_reply'
  );
}

/** Renders a notification: subject, plain text and branded HTML. */
export function renderMail(facts: MailFacts, links: MailLinks): RenderedMail {
  const { what, content } = isCustomerFacts(facts)
    ? customerContent(facts, links)
    : staffContent(facts, links);
  const subject = mailSubject(facts.ticket, what);
  return { subject, text: renderText(content), html: renderHtml(subject, content) };
}
