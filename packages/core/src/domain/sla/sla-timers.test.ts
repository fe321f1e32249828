import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from './business-calendar.schema.ts';
import { startClock } from './sla-clock.ts';
import { isAlertDue, pendingSlaTimers, type SlaTimerFacts, warningAt } from './sla-timers.ts';

const ALWAYS: BusinessCalendar = { timezone: 'UTC', weekly: {}, holidays: [] };
const OFFICE: BusinessCalendar = {
  timezone: 'UTC',
  weekly: { monday: [{ start: '09:00', end: '17:00' }], tuesday: [{ start: '09:00', end: '17:00' }] },
  holidays: [],
};
const T0 = new Date('2026-03-02T09:00:00Z'); // a Monday
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

function facts(overrides: Partial<SlaTimerFacts> = {}, calendar = ALWAYS): SlaTimerFacts {
  const targets = { firstResponseMinutes: 60, resolutionMinutes: 240, calendar };
  return {
    status: 'ASSIGNED',
    clock: startClock(targets, T0),
    firstResponseWarnedAt: null,
    resolutionWarnedAt: null,
    targets,
    warnAtPercent: 80,
    ...overrides,
  };
}

describe('SLA timers', () => {
  it('set a warning at the threshold and a breach at the due time of each clock', () => {
    expect(pendingSlaTimers(facts())).toEqual([
      { clock: 'first_response', kind: 'warning', at: minutes(48) },
      { clock: 'first_response', kind: 'breach', at: minutes(60) },
      { clock: 'resolution', kind: 'warning', at: minutes(192) },
      { clock: 'resolution', kind: 'breach', at: minutes(240) },
    ]);
  });

  it('count the threshold in business time', () => {
    // 80 % of 8 h on a 09–17 calendar from Monday 16:00 is 6.4 h: 1 h Monday, 5.4 h Tuesday.
    const start = new Date('2026-03-02T16:00:00Z');
    const targets = { firstResponseMinutes: 480, resolutionMinutes: 960, calendar: OFFICE };
    const warn = warningAt(
      { ...facts({}, OFFICE), clock: startClock(targets, start), targets },
      'first_response',
    );
    expect(warn?.toISOString()).toBe('2026-03-03T14:24:00.000Z');
  });

  it('drop the first-response timers once it is met, and keep resolution', () => {
    const met = facts();
    met.clock = { ...met.clock, firstRespondedAt: minutes(5) };
    expect(pendingSlaTimers(met).map((timer) => timer.clock)).toEqual(['resolution', 'resolution']);
  });

  it('set nothing while paused, resolved or closed', () => {
    const base = facts();
    expect(pendingSlaTimers({ ...base, clock: { ...base.clock, pausedAt: minutes(10) } })).toEqual([]);
    expect(pendingSlaTimers({ ...base, status: 'CLOSED' })).toEqual([]);
    expect(pendingSlaTimers({ ...base, status: 'RESOLVED' }).map((timer) => timer.clock)).toEqual([
      'first_response',
      'first_response',
    ]);
  });

  it('warn once and never after a breach', () => {
    const warned = facts({ firstResponseWarnedAt: minutes(48) });
    expect(pendingSlaTimers(warned).filter((timer) => timer.clock === 'first_response')).toEqual([
      { clock: 'first_response', kind: 'breach', at: minutes(60) },
    ]);
    const base = facts();
    const breached = { ...base, clock: { ...base.clock, firstResponseBreached: true } };
    expect(pendingSlaTimers(breached).filter((timer) => timer.clock === 'first_response')).toEqual([]);
  });

  it('say an alert is due from its instant on, not a millisecond before', () => {
    expect(isAlertDue(facts(), 'first_response', 'breach', new Date(minutes(60).getTime() - 1))).toBe(false);
    expect(isAlertDue(facts(), 'first_response', 'breach', minutes(60))).toBe(true);
    expect(isAlertDue(facts(), 'first_response', 'warning', minutes(48))).toBe(true);
  });

  it('move the warning with the time spent paused', () => {
    const base = facts();
    const resumed = { ...base, clock: { ...base.clock, pausedMinutes: 30, firstResponseDueAt: minutes(90) } };
    expect(warningAt(resumed, 'first_response')).toEqual(minutes(78));
  });
});
