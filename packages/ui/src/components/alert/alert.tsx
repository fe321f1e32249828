import { type JSX, Show, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';

/** `danger` is announced at once (role alert); the others politely (role status). */
export type AlertTone = 'info' | 'success' | 'warning' | 'danger';

export interface AlertProps extends Omit<JSX.HTMLAttributes<HTMLDivElement>, 'title'> {
  /** Defaults to `info`. */
  tone?: AlertTone;
  title?: JSX.Element;
}

/** A message box inside the page: a refused form, a ticket waiting for the user, a read-only notice. */
export function Alert(props: AlertProps) {
  const [local, others] = splitProps(props, ['tone', 'title', 'class', 'children']);
  const tone = () => local.tone ?? 'info';
  return (
    <div
      role={tone() === 'danger' ? 'alert' : 'status'}
      {...others}
      class={cx('atum-alert', local.class)}
      data-tone={tone()}
    >
      <Show when={local.title}>
        <p class="atum-alert__title">{local.title}</p>
      </Show>
      <div class="atum-alert__body">{local.children}</div>
    </div>
  );
}
