import type { StaffTicketInfo } from '@atum-desk/core/domain';
import { cx, DateTime } from '@atum-desk/ui';
import {
  type Accessor,
  createEffect,
  createMemo,
  createSignal,
  type JSX,
  on,
  Show,
  splitProps,
} from 'solid-js';
import { clockLabel, type SlaClockName, slaClockView, ticketClockInput } from '../tickets/sla.ts';

export interface SlaCountdownProps extends JSX.HTMLAttributes<HTMLDivElement> {
  ticket: Pick<StaffTicketInfo, 'sla' | 'status' | 'resolvedAt'>;
  clock: SlaClockName;
  now: Accessor<Date>;
}

/**
 * One SLA clock as a countdown: its name, the state in words ("At risk: due in 25 min") and the due
 * time. The colour (amber at risk, red breached) follows `data-tone`; the words say the same for those
 * who do not see it, and a change to at risk or breached is announced once.
 */
export function SlaCountdown(props: SlaCountdownProps) {
  const [local, others] = splitProps(props, ['ticket', 'clock', 'now', 'class']);
  const input = createMemo(() => ticketClockInput(local.ticket, local.clock));
  const view = createMemo(() => slaClockView(input(), local.now()));
  const [announcement, setAnnouncement] = createSignal('');
  createEffect(
    on(
      () => view().tone,
      (tone, previous) => {
        if (previous === undefined || tone === previous) return;
        if (tone === 'warning') setAnnouncement(`${clockLabel(local.clock)} SLA is at risk.`);
        if (tone === 'breached') setAnnouncement(`${clockLabel(local.clock)} SLA is breached.`);
      },
    ),
  );
  return (
    <div {...others} class={cx('desk-sla', local.class)} data-tone={view().tone} data-clock={local.clock}>
      <span class="desk-sla__name">{clockLabel(local.clock)}</span>
      <span class="desk-sla__text">{view().text}</span>
      <Show when={input().dueAt && view().tone !== 'met' && view().tone !== 'none'}>
        <span class="desk-sla__due">
          Due <DateTime value={input().dueAt as Date} />
        </span>
      </Show>
      <span class="visually-hidden" aria-live="polite">
        {announcement()}
      </span>
    </div>
  );
}

/** A compact badge of a ticket's worst clock for table rows: "At risk 25 min", colour and words. */
export function SlaBadge(props: {
  ticket: Pick<StaffTicketInfo, 'sla' | 'status' | 'resolvedAt'>;
  now: Accessor<Date>;
}) {
  const worst = createMemo(() => {
    const views = (['first_response', 'resolution'] as const).map((clock) =>
      slaClockView(ticketClockInput(props.ticket, clock), props.now()),
    );
    const rank = { breached: 0, warning: 1, ok: 2, paused: 3, met: 4, none: 5 } as const;
    return views.sort((a, b) => rank[a.tone] - rank[b.tone])[0];
  });
  return (
    <Show when={worst()} fallback={<span class="desk-muted">—</span>}>
      {(view) => (
        <span class="desk-sla-badge" data-tone={view().tone}>
          {view().tone === 'none' ? '—' : view().text.replace(': due in', ', due in')}
        </span>
      )}
    </Show>
  );
}
