import { type JSX, mergeProps, Show } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { Button } from '../button/button.tsx';

export interface ErrorStateProps {
  /** Defaults to "Something went wrong". */
  title?: string;
  /** What failed, in the user's words. */
  message?: JSX.Element;
  /** Offers a "Try again" button when given. */
  onRetry?: () => void;
  /** Another way out, e.g. a link back to the list. */
  action?: JSX.Element;
  /** Heading level to fit the page outline. Defaults to 2. */
  level?: 1 | 2 | 3 | 4;
}

/** What a page or panel shows when loading failed; announced as an alert. */
export function ErrorState(props: ErrorStateProps) {
  const merged = mergeProps({ title: 'Something went wrong', level: 2 }, props);
  return (
    <div class="atum-state" data-state="error" role="alert">
      <span class="atum-state__glyph" aria-hidden="true">
        ⚠
      </span>
      <Dynamic component={`h${merged.level}`} class="atum-state__title">
        {merged.title}
      </Dynamic>
      <Show when={merged.message}>
        <p class="atum-state__description">{merged.message}</p>
      </Show>
      <Show when={merged.onRetry || merged.action}>
        <div class="atum-state__action">
          <Show when={merged.onRetry}>
            <Button variant="secondary" onClick={() => merged.onRetry?.()}>
              Try again
            </Button>
          </Show>
          {merged.action}
        </div>
      </Show>
    </div>
  );
}
