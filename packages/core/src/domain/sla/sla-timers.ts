import type { TicketStatus } from '../tickets/ticket-enums.ts';
import { addBusinessMinutes } from './business-calendar.ts';
import type { SlaClock, SlaTargets } from './sla-clock.ts';

// When each SLA clock of a ticket needs attention: its warning (once a share of the target is used)
// and its breach (at the due time). Pure: the jobs capability schedules a timer for each answer and
// the sweeper asks the same questions, so the two cannot disagree.

/** The two clocks of a ticket. */
export const SLA_CLOCKS = ['first_response', 'resolution'] as const;
export type SlaClockName = (typeof SLA_CLOCKS)[number];

/** The two things that can happen to a clock. */
export const SLA_ALERTS = ['warning', 'breach'] as const;
export type SlaAlertKind = (typeof SLA_ALERTS)[number];

/** What the timers need to know about a ticket besides its clock. */
export interface SlaTimerFacts {
  status: TicketStatus;
  clock: SlaClock;
  /** When each warning went out, if it did. */
  firstResponseWarnedAt: Date | null;
  resolutionWarnedAt: Date | null;
  /** The policy's targets and warning threshold (percent of the target used). */
  targets: SlaTargets;
  warnAtPercent: number;
}

/** One alert that will be due at `at`, if nothing changes before. */
export interface SlaTimer {
  clock: SlaClockName;
  kind: SlaAlertKind;
  at: Date;
}

const CLOSED_STATUSES: readonly TicketStatus[] = ['CLOSED', 'CANCELLED'];

/** Whether a clock is counting: started, not paused, not met, the ticket not closed. */
export function isClockRunning(facts: SlaTimerFacts, clock: SlaClockName): boolean {
  const { clock: state, status } = facts;
  if (!state.startedAt || state.pausedAt || CLOSED_STATUSES.includes(status)) return false;
  return clock === 'first_response' ? state.firstRespondedAt === null : status !== 'RESOLVED';
}

function dueAt(facts: SlaTimerFacts, clock: SlaClockName): Date | null {
  return clock === 'first_response' ? facts.clock.firstResponseDueAt : facts.clock.resolutionDueAt;
}

function breached(facts: SlaTimerFacts, clock: SlaClockName): boolean {
  return clock === 'first_response' ? facts.clock.firstResponseBreached : facts.clock.resolutionBreached;
}

function warnedAt(facts: SlaTimerFacts, clock: SlaClockName): Date | null {
  return clock === 'first_response' ? facts.firstResponseWarnedAt : facts.resolutionWarnedAt;
}

/**
 * When the warning of a clock is due: once `warnAtPercent` of its target is used. Business time used
 * is business time since the start minus the business time paused, so the instant is the start plus
 * that share of the target plus the pauses (the due time is the start plus the whole target plus the
 * pauses, by the same arithmetic).
 */
export function warningAt(facts: SlaTimerFacts, clock: SlaClockName): Date | null {
  const startedAt = facts.clock.startedAt;
  if (!startedAt) return null;
  const target =
    clock === 'first_response' ? facts.targets.firstResponseMinutes : facts.targets.resolutionMinutes;
  const used = (target * facts.warnAtPercent) / 100;
  return addBusinessMinutes(startedAt, used + facts.clock.pausedMinutes, facts.targets.calendar);
}

/** The alerts still to come for a ticket: what to schedule. Met, paused or closed clocks have none. */
export function pendingSlaTimers(facts: SlaTimerFacts): SlaTimer[] {
  const timers: SlaTimer[] = [];
  for (const clock of SLA_CLOCKS) {
    if (!isClockRunning(facts, clock) || breached(facts, clock)) continue;
    const due = dueAt(facts, clock);
    if (!due) continue;
    const warn = warningAt(facts, clock);
    if (warn && !warnedAt(facts, clock) && warn.getTime() < due.getTime()) {
      timers.push({ clock, kind: 'warning', at: warn });
    }
    timers.push({ clock, kind: 'breach', at: due });
  }
  return timers;
}

/** Whether an alert of `kind` on `clock` is due at `now` and has not happened yet. */
export function isAlertDue(
  facts: SlaTimerFacts,
  clock: SlaClockName,
  kind: SlaAlertKind,
  now: Date,
): boolean {
  const timer = pendingSlaTimers(facts).find(
    (candidate) => candidate.clock === clock && candidate.kind === kind,
  );
  return timer !== undefined && timer.at.getTime() <= now.getTime();
}
