import type { SlaTimeline as SlaTimelineData } from '@atum-desk/core/domain';
import { DateTime, formatDateTime } from '@atum-desk/ui';
import { createMemo, For, Show } from 'solid-js';
import { formatDuration } from '../tickets/duration.ts';
import { auditActionLabel } from './audit-labels.ts';

/**
 * Why the clocks say what they say: the running and paused stretches since acceptance as a bar (to
 * scale in wall time) and as a list with business minutes, what began and ended each stretch, and how
 * the due times moved; warnings and breaches below.
 */
export function SlaTimeline(props: { timeline: SlaTimelineData; now: Date }) {
  const span = createMemo(() => {
    const first = props.timeline.segments[0];
    if (!first) return null;
    const start = first.from.getTime();
    const end = Math.max(
      start + 1,
      ...props.timeline.segments.map((segment) => (segment.to ?? props.now).getTime()),
    );
    return { start, total: end - start };
  });
  const width = (from: Date, to: Date | null) => {
    const whole = span();
    if (!whole) return '0%';
    return `${(((to ?? props.now).getTime() - from.getTime()) / whole.total) * 100}%`;
  };
  return (
    <div class="desk-sla-timeline">
      <p class="desk-sla-timeline__totals">
        Running {formatDuration(props.timeline.runningMinutes * 60_000)} of business time, paused{' '}
        {formatDuration(props.timeline.pausedMinutes * 60_000)}.
      </p>
      <Show when={span()}>
        <div class="desk-sla-timeline__bar" aria-hidden="true">
          <For each={props.timeline.segments}>
            {(segment) => (
              <span
                class="desk-sla-timeline__segment"
                data-state={segment.state}
                style={{ width: width(segment.from, segment.to) }}
                title={`${segment.state === 'running' ? 'Running' : 'Paused'} from ${formatDateTime(segment.from)}`}
              />
            )}
          </For>
        </div>
      </Show>
      <ol class="desk-sla-timeline__list" aria-label="SLA timeline">
        <For each={props.timeline.segments}>
          {(segment) => (
            <li class="desk-sla-timeline__item" data-state={segment.state}>
              <p class="desk-sla-timeline__head">
                <span class="desk-sla-timeline__state">
                  {segment.state === 'running' ? 'Running' : 'Paused'}
                </span>{' '}
                <DateTime value={segment.from} /> –{' '}
                <Show when={segment.to} fallback={<span>now</span>}>
                  {(to) => <DateTime value={to()} />}
                </Show>
              </p>
              <p class="desk-muted">
                {formatDuration(segment.businessMinutes * 60_000)} of business time. Began:{' '}
                {auditActionLabel(segment.startedBy)}
                <Show when={segment.endedBy}>{(ended) => <>; ended: {auditActionLabel(ended())}</>}</Show>.
              </p>
              <Show when={dueMoved(segment.dueBefore.resolutionDueAt, segment.dueAfter.resolutionDueAt)}>
                <p class="desk-muted">
                  Resolution due moved from {formatDateTime(segment.dueBefore.resolutionDueAt as Date)} to{' '}
                  {formatDateTime(segment.dueAfter.resolutionDueAt as Date)}.
                </p>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <Show when={props.timeline.markers.length > 0}>
        <ul class="desk-sla-timeline__markers" aria-label="SLA alerts">
          <For each={props.timeline.markers}>
            {(marker) => (
              <li data-action={marker.action}>
                {auditActionLabel(marker.action)}
                {marker.clock
                  ? ` (${marker.clock === 'first_response' ? 'first response' : 'resolution'})`
                  : ''}{' '}
                <DateTime value={marker.at} />
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}

function dueMoved(before: Date | null, after: Date | null): boolean {
  return before !== null && after !== null && before.getTime() !== after.getTime();
}
