import { z } from 'zod';
import type { BusinessCalendar } from './business-calendar.schema.ts';
import { businessMinutesBetween } from './business-calendar.ts';

// Why a ticket's clock says what it says (SPEC §6): the running and paused stretches since acceptance,
// each with its business minutes and the events that opened and closed it, and how the due times moved.
// Derived from the audit log alone, so it explains what happened, not what the ticket row claims.

const ZDueTimes = z.object({
  firstResponseDueAt: z.date().nullable(),
  resolutionDueAt: z.date().nullable(),
});
export type DueTimes = z.infer<typeof ZDueTimes>;

export const ZSlaSegment = z.object({
  state: z.enum(['running', 'paused']),
  from: z.date(),
  /** Null while the stretch goes on. */
  to: z.date().nullable(),
  /** Business minutes in the stretch (up to now for an open one). */
  businessMinutes: z.number(),
  /** The audit action that began it and the one that ended it. */
  startedBy: z.string(),
  endedBy: z.string().nullable(),
  /** Due times when it began and when it ended. */
  dueBefore: ZDueTimes,
  dueAfter: ZDueTimes,
});
export type SlaSegment = z.infer<typeof ZSlaSegment>;

export const ZSlaMarker = z.object({
  at: z.date(),
  action: z.string(),
  clock: z.string().nullable(),
});

export const ZSlaTimeline = z.object({
  segments: z.array(ZSlaSegment),
  /** Warnings, breaches and priority changes, in order. */
  markers: z.array(ZSlaMarker),
  runningMinutes: z.number(),
  pausedMinutes: z.number(),
});
export type SlaTimeline = z.infer<typeof ZSlaTimeline>;

/** One audit row of the ticket, as the timeline reads it. */
export interface SlaAuditEvent {
  action: string;
  at: Date;
  newValue: unknown;
}

/** Statuses during which the clocks stand still. */
const PAUSED_STATUSES = new Set(['WAITING_CUSTOMER', 'RESOLVED']);
/** Statuses after which the clocks are over. */
const FINAL_STATUSES = new Set(['CLOSED', 'CANCELLED']);

function field(value: unknown, name: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

function dateField(value: unknown, name: string): Date | null | undefined {
  const raw = field(value, name);
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  const date = new Date(String(raw));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The timeline of one ticket's SLA clocks from its audit rows (any order), up to `now`. */
export function buildSlaTimeline(
  events: SlaAuditEvent[],
  calendar: BusinessCalendar,
  now: Date,
): SlaTimeline {
  const ordered = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  const segments: SlaSegment[] = [];
  const markers: SlaTimeline['markers'] = [];
  let due: DueTimes = { firstResponseDueAt: null, resolutionDueAt: null };
  let open: Omit<SlaSegment, 'to' | 'businessMinutes' | 'endedBy' | 'dueAfter'> | null = null;
  let started = false;

  const close = (at: Date, endedBy: string) => {
    if (!open) return;
    segments.push({
      ...open,
      to: at,
      businessMinutes: businessMinutesBetween(open.from, at, calendar),
      endedBy,
      dueAfter: due,
    });
    open = null;
  };

  for (const event of ordered) {
    const nextDue: DueTimes = {
      firstResponseDueAt: dateField(event.newValue, 'firstResponseDueAt') ?? due.firstResponseDueAt,
      resolutionDueAt: dateField(event.newValue, 'resolutionDueAt') ?? due.resolutionDueAt,
    };
    if (event.action === 'ticket.accepted') {
      started = true;
      due = nextDue;
      open = { state: 'running', from: event.at, startedBy: event.action, dueBefore: due };
      continue;
    }
    if (!started) continue;
    if (event.action === 'sla.breached' || event.action === 'sla.warned') {
      markers.push({
        at: event.at,
        action: event.action,
        clock: String(field(event.newValue, 'clock') ?? '') || null,
      });
      continue;
    }
    const status = field(event.newValue, 'status');
    const wantState =
      typeof status === 'string'
        ? FINAL_STATUSES.has(status)
          ? 'over'
          : PAUSED_STATUSES.has(status)
            ? 'paused'
            : 'running'
        : undefined;
    const currentState = (open as { state: string } | null)?.state ?? 'over';
    if (event.action === 'ticket.priority_changed') {
      markers.push({ at: event.at, action: event.action, clock: null });
    }
    if (wantState !== undefined && wantState !== currentState) {
      due = nextDue;
      close(event.at, event.action);
      if (wantState !== 'over')
        open = { state: wantState, from: event.at, startedBy: event.action, dueBefore: due };
    } else {
      due = nextDue;
    }
  }
  const current = open as Omit<SlaSegment, 'to' | 'businessMinutes' | 'endedBy' | 'dueAfter'> | null;
  if (current) {
    segments.push({
      ...current,
      to: null,
      businessMinutes: businessMinutesBetween(current.from, now, calendar),
      endedBy: null,
      dueAfter: due,
    });
  }
  const total = (state: 'running' | 'paused') =>
    segments
      .filter((segment) => segment.state === state)
      .reduce((sum, segment) => sum + segment.businessMinutes, 0);
  return { segments, markers, runningMinutes: total('running'), pausedMinutes: total('paused') };
}
