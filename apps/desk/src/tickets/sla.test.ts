import type { StaffTicketInfo } from '@atum-desk/core/domain';
import { describe, expect, it } from 'vitest';
import { nextDueAt, slaClockView, ticketClockInput, ticketSlaState, WARNING_SHARE } from './sla.ts';

const HOUR = 3_600_000;
const start = new Date('2026-11-23T08:00:00Z');
const due = new Date(start.getTime() + 10 * HOUR);
const at = (hours: number) => new Date(start.getTime() + hours * HOUR);

const running = { startedAt: start, dueAt: due, metAt: null, breached: false, pausedAt: null };

describe('slaClockView', () => {
  it.each([
    [0, 'ok', 'On track: due in 10 h'],
    [7.5, 'ok', 'On track: due in 2 h 30 min'],
    // Exactly 20 % left is still on track: amber starts under it.
    [8, 'ok', 'On track: due in 2 h'],
    [8.01, 'warning', 'At risk: due in 1 h 59 min'],
    [9.75, 'warning', 'At risk: due in 15 min'],
    [10, 'breached', 'Breached: overdue by under a minute'],
    [12.5, 'breached', 'Breached: overdue by 2 h 30 min'],
  ])('after %s h of 10 it is %s ("%s")', (hours, tone, text) => {
    const view = slaClockView(running, at(hours));
    expect(view.tone).toBe(tone);
    expect(view.text).toBe(text);
  });

  it('puts the amber threshold at 20 % of the time left', () => {
    expect(WARNING_SHARE).toBe(0.2);
    expect(slaClockView(running, at(8)).share).toBeCloseTo(0.2);
  });

  it('turns red when the server flagged a breach, even before the due time', () => {
    expect(slaClockView({ ...running, breached: true }, at(1)).tone).toBe('breached');
  });

  it('stands still while paused, counting from the moment of the pause', () => {
    const paused = slaClockView({ ...running, pausedAt: at(6) }, at(30));
    expect(paused).toMatchObject({ tone: 'paused', text: 'Paused: 4 h left' });
  });

  it('says met in time, or breached when met after the due time', () => {
    expect(slaClockView({ ...running, metAt: at(3) }, at(20))).toMatchObject({
      tone: 'met',
      text: 'Met in time',
    });
    expect(slaClockView({ ...running, metAt: at(11) }, at(20))).toMatchObject({
      tone: 'breached',
      text: 'Breached: met 1 h late',
    });
  });

  it('is not started before acceptance', () => {
    expect(slaClockView({ ...running, startedAt: null, dueAt: null }, at(1)).tone).toBe('none');
  });
});

function ticket(
  change: Partial<StaffTicketInfo['sla']> = {},
  status: StaffTicketInfo['status'] = 'IN_PROGRESS',
) {
  return {
    status,
    resolvedAt: null,
    sla: {
      policyId: null,
      startedAt: start,
      pausedAt: null,
      pausedMinutes: 0,
      firstResponseDueAt: at(2),
      firstRespondedAt: null,
      resolutionDueAt: due,
      firstResponseBreached: false,
      resolutionBreached: false,
      ...change,
    },
  };
}

describe('a ticket’s clocks', () => {
  it('takes the worst clock for lists and filters', () => {
    expect(ticketSlaState(ticket(), at(0.5))).toBe('on_track');
    expect(ticketSlaState(ticket(), at(1.7))).toBe('at_risk');
    expect(ticketSlaState(ticket(), at(2.5))).toBe('breached');
    expect(ticketSlaState(ticket({ firstRespondedAt: at(1) }), at(2.5))).toBe('on_track');
    expect(
      ticketSlaState(
        ticket({ startedAt: null, firstResponseDueAt: null, resolutionDueAt: null }, 'NEW'),
        at(1),
      ),
    ).toBe('none');
  });

  it('counts a resolved ticket’s resolution clock as met', () => {
    const resolved = {
      ...ticket({ firstRespondedAt: at(1), pausedAt: at(4) }, 'RESOLVED'),
      resolvedAt: at(4),
    };
    expect(slaClockView(ticketClockInput(resolved, 'resolution'), at(20)).tone).toBe('met');
  });

  it('sorts by the next due time of a running clock', () => {
    expect(nextDueAt(ticket(), at(0))).toEqual(at(2));
    expect(nextDueAt(ticket({ firstRespondedAt: at(1) }), at(1.5))).toEqual(due);
    expect(nextDueAt(ticket({ pausedAt: at(1) }, 'WAITING_CUSTOMER'), at(1.5))).toBeNull();
  });
});
