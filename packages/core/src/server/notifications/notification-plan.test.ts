import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../domain/tickets/ticket-enums.ts';
import type { TicketAction } from '../../domain/tickets/ticket-workflow.ts';
import type { TicketFacts } from './mail-facts.ts';
import { type MailEvent, type MailPeople, type MailPerson, planMail } from './notification-plan.ts';

const ticket: TicketFacts = {
  id: '0190b7a0-0000-7000-8000-000000000001',
  number: 7,
  title: 'Printer',
  status: 'NEW',
  priority: 'LOW',
};
const make = (id: string, isActive = true): MailPerson => ({ id, name: id, email: `${id}@x.test`, isActive });
const requester = make('requester');
const agent = make('agent');

function people(overrides: Partial<MailPeople> = {}): MailPeople {
  return { actor: null, requester, assignee: null, ...overrides };
}

/**
 * `kind → recipient` of each planned mail, and `kind → managers except …` for the mail to every manager
 * (written out per manager by the jobs worker).
 */
function plan(event: MailEvent, who: MailPeople): string[] {
  const { mails, managers } = planMail(event, who);
  const lines = mails.map((mail) => `${mail.facts.kind} → ${mail.recipient.id}`);
  if (managers) lines.push(`${managers.facts.kind} → managers except [${managers.except.join(', ')}]`);
  return lines;
}

const transition = (action: TicketAction, from: TicketStatus, to: TicketStatus): MailEvent => ({
  type: 'transitioned',
  ticket,
  action,
  from,
  to,
  fromAssigneeId: null,
  reason: null,
  resolution: null,
  survey: true,
});

describe('who is mailed', () => {
  it('a new ticket: the requester gets a receipt, every manager and admin the news', () => {
    const event: MailEvent = {
      type: 'created',
      ticket,
      requesterName: 'R',
      organizationName: 'O',
      description: 'D',
    };
    expect(plan(event, people({ actor: { id: 'requester', name: 'R' } }))).toEqual([
      'ticket_received → requester',
      'ticket_created → managers except [requester]',
    ]);
    // A manager filing on the customer's behalf is not told of their own ticket.
    expect(plan(event, people({ actor: { id: 'manager', name: 'M' } }))).toEqual([
      'ticket_received → requester',
      'ticket_created → managers except [requester, manager]',
    ]);
    // The managers' facts are the same for each of them; the worker puts in each one's name.
    const { managers } = planMail(event, people());
    expect(managers?.facts).toMatchObject({ recipientName: '', description: 'D', organizationName: 'O' });
  });

  it.each([
    ['accept', 'NEW', 'ACCEPTED', 'ticket_accepted → requester'],
    ['reject', 'NEW', 'CANCELLED', 'ticket_rejected → requester'],
    ['start', 'ASSIGNED', 'IN_PROGRESS', 'ticket_status_changed → requester'],
    ['request_info', 'IN_PROGRESS', 'WAITING_CUSTOMER', 'ticket_status_changed → requester'],
    ['resolve', 'IN_PROGRESS', 'RESOLVED', 'ticket_resolved → requester'],
    ['close', 'RESOLVED', 'CLOSED', 'ticket_status_changed → requester'],
  ] as const)('%s: the requester', (action, from, to, expected) => {
    expect(plan(transition(action, from, to), people({ actor: { id: 'manager', name: 'M' } }))).toEqual([
      expected,
    ]);
  });

  it('a customer reply that reopens the ticket: no status mail to the customer who wrote it', () => {
    expect(
      plan(
        transition('customer_reply', 'RESOLVED', 'IN_PROGRESS'),
        people({ actor: { id: 'requester', name: 'R' } }),
      ),
    ).toEqual([]);
  });

  it('assign: the new assignee, not the customer, and nobody when agents take a ticket themselves', () => {
    const assign = transition('assign', 'ACCEPTED', 'ASSIGNED');
    expect(plan(assign, people({ actor: { id: 'manager', name: 'M' }, assignee: agent }))).toEqual([
      'ticket_assigned → agent',
    ]);
    expect(plan(assign, people({ actor: { id: 'agent', name: 'A' }, assignee: agent }))).toEqual([]);
  });

  it('an internal note: the assignee unless they wrote it; never the customer', () => {
    const note: MailEvent = { type: 'commented', ticket, internal: true, byCustomer: false, body: 'secret' };
    expect(plan(note, people({ actor: { id: 'manager', name: 'M' }, assignee: agent }))).toEqual([
      'internal_note → agent',
    ]);
    expect(plan(note, people({ actor: { id: 'agent', name: 'A' }, assignee: agent }))).toEqual([]);
    expect(plan(note, people({ actor: { id: 'manager', name: 'M' } }))).toEqual([]);
  });

  it('a public staff reply: the requester', () => {
    const reply: MailEvent = { type: 'commented', ticket, internal: false, byCustomer: false, body: 'hi' };
    expect(plan(reply, people({ actor: { id: 'agent', name: 'A' }, assignee: agent }))).toEqual([
      'public_reply → requester',
    ]);
  });

  it("a customer's reply: the assignee, or the managers while nobody holds the ticket", () => {
    const reply: MailEvent = { type: 'commented', ticket, internal: false, byCustomer: true, body: 'hi' };
    const actor = { id: 'requester', name: 'R' };
    expect(plan(reply, people({ actor, assignee: agent }))).toEqual(['customer_reply → agent']);
    expect(plan(reply, people({ actor }))).toEqual(['customer_reply → managers except [requester]']);
    expect(plan(reply, people({ actor, assignee: make('gone', false) }))).toEqual([
      'customer_reply → managers except [requester]',
    ]);
  });

  it('SLA alerts: the managers', () => {
    const alert: MailEvent = { type: 'sla_alert', ticket, clock: 'resolution', kind: 'warning', dueAt: null };
    expect(plan(alert, people())).toEqual(['sla_warning → managers except []']);
  });

  it('inactive users: nothing', () => {
    expect(
      plan(transition('accept', 'NEW', 'ACCEPTED'), people({ requester: make('requester', false) })),
    ).toEqual([]);
  });

  it('customer mail carries no internal field', () => {
    for (const mail of planMail(transition('resolve', 'IN_PROGRESS', 'RESOLVED'), people()).mails) {
      expect(mail.audience).toBe('customer');
      expect(Object.keys(mail.facts).sort()).toEqual([
        'kind',
        'recipientName',
        'resolution',
        'survey',
        'ticket',
      ]);
    }
  });
});
