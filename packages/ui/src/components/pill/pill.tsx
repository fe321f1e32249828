import { type JSX, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';

/** Colour families of a pill; each meets 4.5:1 on the glass. */
export type PillTone = 'neutral' | 'gold' | 'info' | 'success' | 'warning' | 'danger' | 'muted';

export interface PillProps extends JSX.HTMLAttributes<HTMLSpanElement> {
  /** Shown as `data-tone`. Defaults to `neutral`. */
  tone?: PillTone;
}

/** A small rounded label for a state. */
export function Pill(props: PillProps) {
  const [local, others] = splitProps(props, ['tone', 'class']);
  return <span {...others} class={cx('atum-pill', local.class)} data-tone={local.tone ?? 'neutral'} />;
}

const STATUS: Record<string, { label: string; tone: PillTone }> = {
  NEW: { label: 'New', tone: 'gold' },
  ACCEPTED: { label: 'Accepted', tone: 'info' },
  ASSIGNED: { label: 'Assigned', tone: 'info' },
  IN_PROGRESS: { label: 'In progress', tone: 'info' },
  WAITING_CUSTOMER: { label: 'Waiting for you', tone: 'warning' },
  RESOLVED: { label: 'Resolved', tone: 'success' },
  CLOSED: { label: 'Closed', tone: 'muted' },
  CANCELLED: { label: 'Cancelled', tone: 'muted' },
};

/** The words for a ticket status (`IN_PROGRESS` → "In progress"); unknown values are spelled out. */
export function statusLabel(status: string): string {
  return STATUS[status]?.label ?? humanize(status);
}

export interface StatusPillProps extends Omit<PillProps, 'tone' | 'children'> {
  /** A ticket status in UPPER_SNAKE, e.g. `WAITING_CUSTOMER`. */
  status: string;
  /** Wording for this audience, e.g. staff read "Waiting for customer". Defaults to the customer's. */
  label?: string;
}

/** A ticket status as a coloured pill; the value is also in `data-status`. */
export function StatusPill(props: StatusPillProps) {
  const [local, others] = splitProps(props, ['status', 'label']);
  return (
    <Pill {...others} tone={STATUS[local.status]?.tone ?? 'neutral'} data-status={local.status}>
      {local.label ?? statusLabel(local.status)}
    </Pill>
  );
}

const PRIORITY: Record<string, { rank: number; tone: PillTone }> = {
  URGENT: { rank: 1, tone: 'danger' },
  HIGH: { rank: 2, tone: 'warning' },
  MEDIUM: { rank: 3, tone: 'info' },
  LOW: { rank: 4, tone: 'neutral' },
};

/** "P2 · High" for `HIGH` (SPEC: priorities show as P1–P4). */
export function priorityText(priority: string): string {
  const rank = PRIORITY[priority]?.rank;
  return rank ? `P${rank} · ${humanize(priority)}` : humanize(priority);
}

export interface PriorityPillProps extends Omit<PillProps, 'tone' | 'children'> {
  /** `URGENT`, `HIGH`, `MEDIUM` or `LOW`. */
  priority: string;
}

/** A ticket priority as a pill, "P1 · Urgent" to "P4 · Low"; the value is also in `data-priority`. */
export function PriorityPill(props: PriorityPillProps) {
  const [local, others] = splitProps(props, ['priority']);
  return (
    <Pill {...others} tone={PRIORITY[local.priority]?.tone ?? 'neutral'} data-priority={local.priority}>
      {priorityText(local.priority)}
    </Pill>
  );
}

function humanize(value: string): string {
  const words = value.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
