import type { LiveEvent } from '@atum-desk/core/client';
import type { UserInfo } from '@atum-desk/core/domain';
import { describe, expect, it } from 'vitest';
import { staleKeysFor, type ToastContext, toastFor } from './live-events.ts';

const MANAGER: UserInfo = {
  id: '01900000-0000-7000-8000-0000000000a1',
  email: 'maya@atum.test',
  name: 'Maya',
  role: 'MANAGER',
  organizationId: null,
  isActive: true,
};
const AGENT: UserInfo = {
  ...MANAGER,
  id: '01900000-0000-7000-8000-0000000000a2',
  role: 'AGENT',
  name: 'Arun',
};
const CUSTOMER_ID = '01900000-0000-7000-8000-0000000000c1';
const TICKET = '01900000-0000-7000-8000-0000000000t1';

function event(change: Partial<Extract<LiveEvent, { ticketId: string }>>): LiveEvent {
  return {
    kind: 'commented',
    ticketId: TICKET,
    organizationId: '01900000-0000-7000-8000-0000000000o1',
    status: 'IN_PROGRESS',
    priority: 'HIGH',
    assignedToId: AGENT.id,
    internal: false,
    actorId: CUSTOMER_ID,
    at: new Date(),
    ...change,
  };
}

const context = (me: UserInfo, viewingTicketId?: string): ToastContext => ({
  me,
  viewingTicketId,
  ticketLabel: () => 'Ticket #1042',
});

describe('what a live event makes stale', () => {
  it('refetches ticket views, counts and the audit trail on a ticket event, everything on resync', () => {
    expect(staleKeysFor(event({}))).toEqual([['tickets'], ['dashboard'], ['audit']]);
    expect(staleKeysFor({ kind: 'resync', reason: 'resumed', at: new Date() })).toBe('all');
  });
});

describe('which live events show a toast', () => {
  it('tells managers of new tickets, not agents', () => {
    const created = event({ kind: 'created', status: 'NEW', assignedToId: null });
    expect(toastFor(created, context(MANAGER))).toMatchObject({ title: 'New ticket' });
    expect(toastFor(created, context(AGENT))).toBeNull();
  });

  it('tells the assignee of a reply, and whoever has the ticket open', () => {
    expect(toastFor(event({}), context(AGENT))).toMatchObject({
      title: 'New reply',
      message: expect.stringContaining('#1042'),
    });
    expect(toastFor(event({}), context(MANAGER))).toBeNull();
    expect(toastFor(event({}), context(MANAGER, TICKET))).toMatchObject({ title: 'New reply' });
  });

  it('never toasts the user’s own actions', () => {
    expect(toastFor(event({ actorId: AGENT.id }), context(AGENT))).toBeNull();
  });

  it('tells an agent that a ticket was assigned to them', () => {
    const assigned = event({
      kind: 'transitioned',
      action: 'assign',
      actorId: MANAGER.id,
      status: 'ASSIGNED',
    });
    expect(toastFor(assigned, context(AGENT))).toMatchObject({ title: 'Assigned to you', tone: 'success' });
  });

  it('tells of SLA breaches in the danger tone', () => {
    const breach = event({
      kind: 'sla_alert',
      actorId: null,
      internal: true,
      sla: { clock: 'resolution', alert: 'breach' },
    });
    expect(toastFor(breach, context(MANAGER))).toMatchObject({ title: 'SLA breached', tone: 'danger' });
  });

  it('stays quiet on resync', () => {
    expect(toastFor({ kind: 'resync', reason: 'overflow', at: new Date() }, context(MANAGER))).toBeNull();
  });
});
