import { type JSX, mergeProps, Show } from 'solid-js';
import { Dynamic } from 'solid-js/web';

export interface EmptyStateProps {
  title: string;
  /** One or two sentences: why it is empty and what to do. */
  description?: JSX.Element;
  /** A button or link to the next step. */
  action?: JSX.Element;
  /** Heading level to fit the page outline. Defaults to 2. */
  level?: 2 | 3 | 4;
}

/** What a list or page shows when there is nothing in it yet. */
export function EmptyState(props: EmptyStateProps) {
  const merged = mergeProps({ level: 2 }, props);
  return (
    <div class="atum-state" data-state="empty">
      <span class="atum-state__glyph" aria-hidden="true">
        ☉
      </span>
      <Dynamic component={`h${merged.level}`} class="atum-state__title">
        {merged.title}
      </Dynamic>
      <Show when={merged.description}>
        <p class="atum-state__description">{merged.description}</p>
      </Show>
      <Show when={merged.action}>
        <div class="atum-state__action">{merged.action}</div>
      </Show>
    </div>
  );
}
