import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from './business-calendar.schema.ts';
import { buildSlaTimeline } from './sla-timeline.ts';

const ALWAYS: BusinessCalendar = { timezone: 'UTC', weekly: {}, holidays: [] };
const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute));
const due = (first: number, resolution: number) => ({
  firstResponseDueAt: at(first).toISOString(),
  resolutionDueAt: at(resolution).toISOString(),
});

describe('the SLA timeline', () => {
  it('splits the clock into running and paused stretches with their events and due times', () => {
    const timeline = buildSlaTimeline(
      [
        { action: 'ticket.created', at: at(0), newValue: { status: 'NEW' } },
        { action: 'ticket.accepted', at: at(1), newValue: { status: 'ACCEPTED', ...due(31, 121) } },
        { action: 'ticket.assigned', at: at(2), newValue: { status: 'ASSIGNED', ...due(31, 121) } },
        {
          action: 'ticket.status_changed',
          at: at(10),
          newValue: { status: 'WAITING_CUSTOMER', ...due(31, 121) },
        },
        { action: 'ticket.status_changed', at: at(25), newValue: { status: 'IN_PROGRESS', ...due(46, 136) } },
        { action: 'sla.warned', at: at(40), newValue: { clock: 'first_response' } },
      ],
      ALWAYS,
      at(50),
    );
    expect(timeline.segments).toEqual([
      {
        state: 'running',
        from: at(1),
        to: at(10),
        businessMinutes: 9,
        startedBy: 'ticket.accepted',
        endedBy: 'ticket.status_changed',
        dueBefore: { firstResponseDueAt: at(31), resolutionDueAt: at(121) },
        dueAfter: { firstResponseDueAt: at(31), resolutionDueAt: at(121) },
      },
      {
        state: 'paused',
        from: at(10),
        to: at(25),
        businessMinutes: 15,
        startedBy: 'ticket.status_changed',
        endedBy: 'ticket.status_changed',
        dueBefore: { firstResponseDueAt: at(31), resolutionDueAt: at(121) },
        dueAfter: { firstResponseDueAt: at(46), resolutionDueAt: at(136) },
      },
      {
        state: 'running',
        from: at(25),
        to: null,
        businessMinutes: 25,
        startedBy: 'ticket.status_changed',
        endedBy: null,
        dueBefore: { firstResponseDueAt: at(46), resolutionDueAt: at(136) },
        dueAfter: { firstResponseDueAt: at(46), resolutionDueAt: at(136) },
      },
    ]);
    expect(timeline.markers).toEqual([{ at: at(40), action: 'sla.warned', clock: 'first_response' }]);
    expect(timeline.runningMinutes).toBe(34);
    expect(timeline.pausedMinutes).toBe(15);
  });

  it('ends at closing and is empty before acceptance', () => {
    const closed = buildSlaTimeline(
      [
        { action: 'ticket.accepted', at: at(0), newValue: { status: 'ACCEPTED', ...due(30, 120) } },
        { action: 'ticket.status_changed', at: at(20), newValue: { status: 'RESOLVED' } },
        { action: 'ticket.status_changed', at: at(30), newValue: { status: 'CLOSED' } },
      ],
      ALWAYS,
      at(90),
    );
    expect(
      closed.segments.map((segment) => [segment.state, segment.businessMinutes, segment.endedBy]),
    ).toEqual([
      ['running', 20, 'ticket.status_changed'],
      ['paused', 10, 'ticket.status_changed'],
    ]);
    expect(
      buildSlaTimeline([{ action: 'ticket.created', at: at(0), newValue: {} }], ALWAYS, at(5)).segments,
    ).toEqual([]);
  });
});
