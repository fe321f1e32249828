import type { StaffTicketInfo, TicketStatus } from '@atum-desk/core/domain';
import { formatDuration } from './duration.ts';

// How the desk reads a ticket's SLA clocks (SPEC §6): each clock is on track, at risk (amber: under
// WARNING_SHARE of its time left), breached (red), paused, met, or not started. The thresholds live
// here, pure and tested, so the countdown, the lists, the filters and the dashboard agree.

/** A running clock with less than this share of its time left is at risk (amber). */
export const WARNING_SHARE = 0.2;

/** The two clocks of a ticket. */
export type SlaClockName = 'first_response' | 'resolution';

/** `ok` on track, `warning` at risk, `breached` past due (or flagged), `paused`, `met`, `none` not started. */
export type SlaTone = 'none' | 'ok' | 'warning' | 'breached' | 'paused' | 'met';

export interface SlaClockInput {
  startedAt: Date | null;
  dueAt: Date | null;
  /** When the clock's goal was reached (first public staff reply, resolution); null while open. */
  metAt: Date | null;
  /** The server flagged a breach. */
  breached: boolean;
  /** When the clocks were paused (waiting for the customer); null while running. */
  pausedAt: Date | null;
  /** The ticket is cancelled: its clocks are over without a verdict. */
  stopped?: boolean;
}

export interface SlaClockView {
  tone: SlaTone;
  /** Milliseconds to the due time (negative when overdue); null without one. */
  remainingMs: number | null;
  /** Share of the clock's time left, 0–1; null when not running. */
  share: number | null;
  /** What the clock says, in words that do not rely on its colour: "At risk: due in 25 min". */
  text: string;
}

const CLOCK_LABEL: Record<SlaClockName, string> = {
  first_response: 'First response',
  resolution: 'Resolution',
};

/** "First response" or "Resolution". */
export function clockLabel(clock: SlaClockName): string {
  return CLOCK_LABEL[clock];
}

/** What one clock says at `now`. */
export function slaClockView(input: SlaClockInput, now: Date): SlaClockView {
  const { startedAt, dueAt } = input;
  if (!startedAt || !dueAt) {
    return { tone: 'none', remainingMs: null, share: null, text: 'Not started: starts when accepted' };
  }
  if (input.metAt) {
    const late = input.metAt.getTime() - dueAt.getTime();
    return input.breached || late > 0
      ? {
          tone: 'breached',
          remainingMs: null,
          share: null,
          text: `Breached: met ${formatDuration(late)} late`,
        }
      : { tone: 'met', remainingMs: null, share: null, text: 'Met in time' };
  }
  if (input.stopped) return { tone: 'none', remainingMs: null, share: null, text: 'Stopped' };
  // While paused, time stands still at the moment of the pause; the due time moves on resume.
  const at = input.pausedAt ?? now;
  const remainingMs = dueAt.getTime() - at.getTime();
  if (input.breached || remainingMs <= 0) {
    return {
      tone: 'breached',
      remainingMs,
      share: 0,
      text: `Breached: overdue by ${formatDuration(remainingMs)}`,
    };
  }
  const total = dueAt.getTime() - startedAt.getTime();
  const share = total > 0 ? remainingMs / total : 0;
  if (input.pausedAt) {
    return { tone: 'paused', remainingMs, share, text: `Paused: ${formatDuration(remainingMs)} left` };
  }
  if (share < WARNING_SHARE) {
    return { tone: 'warning', remainingMs, share, text: `At risk: due in ${formatDuration(remainingMs)}` };
  }
  return { tone: 'ok', remainingMs, share, text: `On track: due in ${formatDuration(remainingMs)}` };
}

type SlaTicket = Pick<StaffTicketInfo, 'sla' | 'status' | 'resolvedAt'>;

const RESOLVED_STATUSES: readonly TicketStatus[] = ['RESOLVED', 'CLOSED'];

/** The input of one of a ticket's clocks. */
export function ticketClockInput(ticket: SlaTicket, clock: SlaClockName): SlaClockInput {
  const sla = ticket.sla;
  const stopped = ticket.status === 'CANCELLED';
  if (clock === 'first_response') {
    return {
      startedAt: sla.startedAt,
      dueAt: sla.firstResponseDueAt,
      metAt: sla.firstRespondedAt,
      breached: sla.firstResponseBreached,
      pausedAt: sla.pausedAt,
      // A ticket resolved without a public reply no longer waits for one.
      stopped: stopped || (RESOLVED_STATUSES.includes(ticket.status) && !sla.firstRespondedAt),
    };
  }
  return {
    startedAt: sla.startedAt,
    dueAt: sla.resolutionDueAt,
    metAt: RESOLVED_STATUSES.includes(ticket.status) ? ticket.resolvedAt : null,
    breached: sla.resolutionBreached,
    pausedAt: sla.pausedAt,
    stopped,
  };
}

/** The state of a whole ticket for lists and filters: its worst clock. */
export type TicketSlaState = 'breached' | 'at_risk' | 'on_track' | 'none';

/** A ticket's worst clock: breached beats at risk beats on track (running or paused). */
export function ticketSlaState(ticket: SlaTicket, now: Date): TicketSlaState {
  const tones = (['first_response', 'resolution'] as const).map(
    (clock) => slaClockView(ticketClockInput(ticket, clock), now).tone,
  );
  if (tones.includes('breached')) return 'breached';
  if (tones.includes('warning')) return 'at_risk';
  if (tones.includes('ok') || tones.includes('paused')) return 'on_track';
  return 'none';
}

/** The due time that comes next among a ticket's running, unmet clocks (for sorting by urgency). */
export function nextDueAt(ticket: SlaTicket, now: Date): Date | null {
  const due = (['first_response', 'resolution'] as const)
    .map((clock) => ({ input: ticketClockInput(ticket, clock), clock }))
    .filter(({ input }) => {
      const tone = slaClockView(input, now).tone;
      return tone === 'ok' || tone === 'warning' || tone === 'breached' ? !input.metAt : false;
    })
    .map(({ input }) => input.dueAt)
    .filter((at): at is Date => at !== null)
    .sort((a, b) => a.getTime() - b.getTime());
  return due[0] ?? null;
}
