import type { BusinessCalendar } from './business-calendar.schema.ts';
import { addBusinessMinutes, businessMinutesBetween } from './business-calendar.ts';

// The SLA clocks of one ticket (SPEC §6) as pure functions over its stored fields: services call these
// and store the result; nothing here reads the clock.

/** What an SLA policy promises for one priority. */
export interface SlaTargets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  calendar: BusinessCalendar;
}

/** The SLA fields a ticket stores. */
export interface SlaClock {
  startedAt: Date | null;
  pausedAt: Date | null;
  /** Business minutes spent paused so far (closed pauses only). */
  pausedMinutes: number;
  firstResponseDueAt: Date | null;
  firstRespondedAt: Date | null;
  resolutionDueAt: Date | null;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
}

/** The clocks of a ticket accepted at `now`: due times counted in business time from acceptance. */
export function startClock(targets: SlaTargets, now: Date): SlaClock {
  return {
    startedAt: now,
    pausedAt: null,
    pausedMinutes: 0,
    firstResponseDueAt: addBusinessMinutes(now, targets.firstResponseMinutes, targets.calendar),
    firstRespondedAt: null,
    resolutionDueAt: addBusinessMinutes(now, targets.resolutionMinutes, targets.calendar),
    firstResponseBreached: false,
    resolutionBreached: false,
  };
}

/** Stops both clocks while the ticket waits for the customer. Pausing a paused clock changes nothing. */
export function pauseClock(clock: SlaClock, now: Date): SlaClock {
  if (!clock.startedAt || clock.pausedAt) return clock;
  return { ...clock, pausedAt: now };
}

/**
 * Restarts paused clocks: each due time still ahead when the pause began keeps the business time that
 * was left then, counted from now, so it moves later by exactly the business time spent paused. A due
 * time already passed at the pause stays where it is (it was breached).
 */
export function resumeClock(clock: SlaClock, calendar: BusinessCalendar, now: Date): SlaClock {
  const pausedAt = clock.pausedAt;
  if (!pausedAt) return clock;
  const shift = (due: Date | null, met: boolean): Date | null => {
    if (!due || met || due.getTime() <= pausedAt.getTime()) return due;
    return addBusinessMinutes(now, businessMinutesBetween(pausedAt, due, calendar), calendar);
  };
  return {
    ...clock,
    pausedAt: null,
    pausedMinutes: clock.pausedMinutes + businessMinutesBetween(pausedAt, now, calendar),
    firstResponseDueAt: shift(clock.firstResponseDueAt, clock.firstRespondedAt !== null),
    resolutionDueAt: shift(clock.resolutionDueAt, false),
  };
}

/** Records the first public staff reply; later replies change nothing. */
export function meetFirstResponse(clock: SlaClock, now: Date): SlaClock {
  if (!clock.startedAt || clock.firstRespondedAt) return clock;
  const late = clock.firstResponseDueAt !== null && now.getTime() > clock.firstResponseDueAt.getTime();
  return { ...clock, firstRespondedAt: now, firstResponseBreached: clock.firstResponseBreached || late };
}

/** Resolution meets (or misses) the resolution target; a paused clock counts as resumed first. */
export function meetResolution(clock: SlaClock, calendar: BusinessCalendar, now: Date): SlaClock {
  const running = resumeClock(clock, calendar, now);
  const late = running.resolutionDueAt !== null && now.getTime() > running.resolutionDueAt.getTime();
  return { ...running, resolutionBreached: running.resolutionBreached || late };
}

/**
 * Due times under new targets (a priority change): counted from acceptance plus the business time spent
 * paused, so earlier pauses still count. Met clocks keep their due time.
 */
export function retargetClock(clock: SlaClock, targets: SlaTargets): SlaClock {
  if (!clock.startedAt) return clock;
  const due = (minutes: number) =>
    addBusinessMinutes(clock.startedAt as Date, minutes + clock.pausedMinutes, targets.calendar);
  return {
    ...clock,
    firstResponseDueAt: clock.firstRespondedAt ? clock.firstResponseDueAt : due(targets.firstResponseMinutes),
    resolutionDueAt: due(targets.resolutionMinutes),
  };
}
