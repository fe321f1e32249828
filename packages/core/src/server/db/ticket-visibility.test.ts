import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../domain/tickets/ticket-enums.ts';
import type { Scope } from '../auth/scope.ts';
import { canSeeTicket, canSeeTicketEvent, type TicketEventVisibilityFacts } from './scoped.ts';

// The live-event predicate, case by case (SPEC §4). `ticket-visibility.db.test.ts` shows on real rows
// that `canSeeTicket` and the `visibleTickets` query agree for every role and ticket situation.

const ORG_A = 'org-a';
const ORG_B = 'org-b';

function scope(actorId: string, role: Scope['role'], organizationId: string | null = null): Scope {
  return { actorId, role, organizationId, ip: null, userAgent: null };
}

const requester = scope('requester', 'CUSTOMER_USER', ORG_A);
const colleague = scope('colleague', 'CUSTOMER_USER', ORG_A);
const customerAdmin = scope('customer-admin', 'CUSTOMER_ADMIN', ORG_A);
const otherCustomer = scope('other-customer', 'CUSTOMER_USER', ORG_B);
const otherCustomerAdmin = scope('other-admin', 'CUSTOMER_ADMIN', ORG_B);
const agent = scope('agent', 'AGENT');
const otherAgent = scope('other-agent', 'AGENT');
const manager = scope('manager', 'MANAGER');
const admin = scope('admin', 'ADMIN');
const system = scope('system', 'SYSTEM');

function event(
  status: TicketStatus,
  assignedToId: string | null,
  extra: Partial<TicketEventVisibilityFacts> = {},
): TicketEventVisibilityFacts {
  return { organizationId: ORG_A, createdById: 'requester', assignedToId, status, internal: false, ...extra };
}

const everyone = [
  requester,
  colleague,
  customerAdmin,
  otherCustomer,
  otherCustomerAdmin,
  agent,
  otherAgent,
  manager,
  admin,
  system,
];

/** Who receives each event: the sentence, the event, the actor ids that must receive it. */
const CASES: [string, TicketEventVisibilityFacts, string[]][] = [
  [
    'a NEW ticket reaches its requester, their customer admin and managers, not agents',
    event('NEW', null),
    ['requester', 'customer-admin', 'manager', 'admin', 'system'],
  ],
  [
    'an ACCEPTED unassigned ticket reaches every agent too',
    event('ACCEPTED', null),
    ['requester', 'customer-admin', 'agent', 'other-agent', 'manager', 'admin', 'system'],
  ],
  [
    'an assigned ticket reaches its assignee, not the other agents',
    event('IN_PROGRESS', 'agent'),
    ['requester', 'customer-admin', 'agent', 'manager', 'admin', 'system'],
  ],
  [
    'an internal note reaches staff who see the ticket and never a customer',
    event('IN_PROGRESS', 'agent', { internal: true }),
    ['agent', 'manager', 'admin', 'system'],
  ],
  [
    'an internal note on a NEW ticket reaches no agent',
    event('NEW', null, { internal: true }),
    ['manager', 'admin', 'system'],
  ],
  [
    'a ticket taken from an agent still tells that agent it left their queue',
    event('ASSIGNED', 'other-agent', { previous: { status: 'ASSIGNED', assignedToId: 'agent' } }),
    ['requester', 'customer-admin', 'agent', 'other-agent', 'manager', 'admin', 'system'],
  ],
  [
    'an accepted ticket being assigned tells the agents who saw it in the open queue',
    event('ASSIGNED', 'agent', { previous: { status: 'ACCEPTED', assignedToId: null } }),
    ['requester', 'customer-admin', 'agent', 'other-agent', 'manager', 'admin', 'system'],
  ],
  [
    "an internal event's previous state never opens it to customers",
    event('ASSIGNED', 'agent', { internal: true, previous: { status: 'ACCEPTED', assignedToId: null } }),
    ['agent', 'other-agent', 'manager', 'admin', 'system'],
  ],
];

describe('canSeeTicketEvent', () => {
  it.each(CASES)('%s', (_sentence, facts, receivers) => {
    const received = everyone.filter((who) => canSeeTicketEvent(who, facts)).map((who) => who.actorId);
    expect(received.sort()).toEqual([...receivers].sort());
  });

  it("never lets another organization's customers hear of a ticket, whatever its state", () => {
    for (const status of ['NEW', 'ACCEPTED', 'IN_PROGRESS', 'CLOSED'] as const) {
      for (const internal of [false, true]) {
        const facts = event(status, null, { internal, previous: { status: 'NEW', assignedToId: null } });
        expect(canSeeTicketEvent(otherCustomer, facts)).toBe(false);
        expect(canSeeTicketEvent(otherCustomerAdmin, facts)).toBe(false);
      }
    }
  });

  it('lets a customer without an organization see nothing rather than everything', () => {
    const orphan = scope('requester', 'CUSTOMER_ADMIN', null);
    expect(canSeeTicket(orphan, event('NEW', null))).toBe(false);
  });
});
