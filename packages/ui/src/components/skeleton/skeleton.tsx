import { For, mergeProps } from 'solid-js';

export interface SkeletonProps {
  /** Number of grey bars. Defaults to 3. */
  lines?: number;
  /** What is loading, for assistive technology. Defaults to "Loading". */
  label?: string;
}

/** Placeholder bars while content loads; announced once as a status, the bars are hidden. */
export function Skeleton(props: SkeletonProps) {
  const merged = mergeProps({ lines: 3, label: 'Loading' }, props);
  const bars = () => Array.from({ length: merged.lines }, (_, index) => index);
  return (
    <div class="atum-skeleton" role="status" aria-busy="true">
      <span class="visually-hidden">{merged.label}…</span>
      <For each={bars()}>
        {(index) => (
          <span
            class="atum-skeleton__bar"
            aria-hidden="true"
            // The last bar is shorter, as the last line of a paragraph is.
            style={{ width: index === merged.lines - 1 && merged.lines > 1 ? '60%' : '100%' }}
          />
        )}
      </For>
    </div>
  );
}
