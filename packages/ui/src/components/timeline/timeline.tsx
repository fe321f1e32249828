import { type JSX, Show, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { formatDateTime } from '../../utils/format.ts';

/** The timeline: an ordered list of what happened, oldest first. */
export function TimelineRoot(props: JSX.OlHTMLAttributes<HTMLOListElement>) {
  const [local, others] = splitProps(props, ['class']);
  return <ol {...others} class={cx('atum-timeline', local.class)} />;
}

/** The marker's look: a message from the user, from the team, a change of state, or a pending entry. */
export type TimelineKind = 'mine' | 'theirs' | 'event' | 'pending';

export interface TimelineItemProps extends Omit<JSX.LiHTMLAttributes<HTMLLIElement>, 'title'> {
  /** When it happened. */
  time: Date;
  /** Who or what, e.g. "You replied" or "Status: Resolved". */
  title: JSX.Element;
  /** Shown as `data-kind`. Defaults to `event`. */
  kind?: TimelineKind;
}

/** One entry: a marker, a title line with its time, and the body (a message) below. */
export function TimelineItem(props: TimelineItemProps) {
  const [local, others] = splitProps(props, ['time', 'title', 'kind', 'class', 'children']);
  return (
    <li {...others} class={cx('atum-timeline__item', local.class)} data-kind={local.kind ?? 'event'}>
      <span class="atum-timeline__marker" aria-hidden="true" />
      <div class="atum-timeline__content">
        <p class="atum-timeline__head">
          <span class="atum-timeline__title">{local.title}</span>
          <time class="atum-timeline__time" datetime={local.time.toISOString()}>
            {formatDateTime(local.time)}
          </time>
        </p>
        <Show when={local.children}>
          <div class="atum-timeline__body">{local.children}</div>
        </Show>
      </div>
    </li>
  );
}
