import type { StaffTicketInfo } from '@atum-desk/core/domain';
import { describe, expect, it } from 'vitest';
import { arrangeTickets, filtersToSearch, parseFilters, ticketsHref, toListInput } from './filters.ts';

const ORG = '01900000-0000-7000-8000-00000000ac3e';
const AGENT = '01900000-0000-7000-8000-00000000a9e7';

describe('ticket filters in the address', () => {
  it('reads every filter from the search params', () => {
    expect(
      parseFilters({
        status: 'WAITING_CUSTOMER',
        priority: 'HIGH',
        org: ORG,
        assignee: 'me',
        sla: 'at_risk',
        q: '  printer jam ',
        sort: 'due',
      }),
    ).toEqual({
      status: 'WAITING_CUSTOMER',
      priority: 'HIGH',
      organizationId: ORG,
      assigneeId: 'me',
      sla: 'at_risk',
      q: 'printer jam',
      sort: 'due',
    });
  });

  it('leaves out what it does not know instead of failing', () => {
    expect(
      parseFilters({
        status: 'open',
        priority: 'P1',
        org: 'acme',
        assignee: 'bob',
        sla: 'red',
        sort: 'random',
        q: '   ',
      }),
    ).toEqual({ sort: 'newest' });
  });

  it('writes them back so a reload finds the same view', () => {
    const filters = parseFilters({ status: 'NEW', assignee: AGENT, q: 'vpn', sort: 'priority' });
    const search = filtersToSearch(filters);
    expect(search).toEqual({
      status: 'NEW',
      priority: undefined,
      org: undefined,
      assignee: AGENT,
      sla: undefined,
      q: 'vpn',
      sort: 'priority',
    });
    const defined = Object.fromEntries(Object.entries(search).filter(([, value]) => value !== undefined));
    expect(parseFilters(defined as Record<string, string>)).toEqual(filters);
  });

  it('keeps addresses short: the default order is left out', () => {
    expect(ticketsHref({ sla: 'breached' })).toBe('/tickets?sla=breached');
    expect(ticketsHref({})).toBe('/tickets');
    expect(ticketsHref({ status: 'NEW', sort: 'due' })).toBe('/tickets?status=NEW&sort=due');
  });

  it('sends the server only what it filters on, with "me" as the caller’s id', () => {
    const filters = parseFilters({ status: 'NEW', assignee: 'me', sla: 'breached', sort: 'due', q: 'x' });
    expect(toListInput(filters, AGENT)).toEqual({ status: 'NEW', assigneeId: AGENT, q: 'x' });
  });
});

describe('arranging the loaded tickets', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const row = (
    id: string,
    priority: StaffTicketInfo['priority'],
    createdHoursAgo: number,
    dueInHours: number | null,
  ) => ({
    id,
    priority,
    status: 'IN_PROGRESS' as const,
    resolvedAt: null,
    createdAt: new Date(now.getTime() - createdHoursAgo * 3_600_000),
    updatedAt: new Date(now.getTime() - createdHoursAgo * 1_000_000),
    sla: {
      policyId: null,
      startedAt: dueInHours === null ? null : new Date(now.getTime() - 10 * 3_600_000),
      pausedAt: null,
      pausedMinutes: 0,
      firstResponseDueAt: null,
      firstRespondedAt: null,
      resolutionDueAt: dueInHours === null ? null : new Date(now.getTime() + dueInHours * 3_600_000),
      firstResponseBreached: false,
      resolutionBreached: false,
    },
  });
  const rows = [
    row('a', 'LOW', 1, 5),
    row('b', 'URGENT', 3, -1),
    row('c', 'HIGH', 2, 1),
    row('d', 'MEDIUM', 4, null),
  ];
  const ids = (list: { id: string }[]) => list.map((ticket) => ticket.id);

  it('orders by priority, age or the next due time', () => {
    expect(ids(arrangeTickets(rows, { sort: 'priority' }, now))).toEqual(['b', 'c', 'd', 'a']);
    expect(ids(arrangeTickets(rows, { sort: 'oldest' }, now))).toEqual(['d', 'b', 'c', 'a']);
    expect(ids(arrangeTickets(rows, { sort: 'newest' }, now))).toEqual(['a', 'c', 'b', 'd']);
    // Tickets without a running clock go last.
    expect(ids(arrangeTickets(rows, { sort: 'due' }, now))).toEqual(['b', 'c', 'a', 'd']);
  });

  it('filters by SLA state', () => {
    expect(ids(arrangeTickets(rows, { sort: 'newest', sla: 'breached' }, now))).toEqual(['b']);
    expect(ids(arrangeTickets(rows, { sort: 'newest', sla: 'at_risk' }, now))).toEqual(['c']);
    expect(ids(arrangeTickets(rows, { sort: 'newest', sla: 'on_track' }, now))).toEqual(['a']);
  });
});
