import { type JSX, mergeProps, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';

/** `primary` is the gold call to action; `secondary` a gold-edged outline; `ghost` text only. */
export type ButtonVariant = 'primary' | 'secondary' | 'ghost';

export interface ButtonProps extends JSX.ButtonHTMLAttributes<HTMLButtonElement> {
  /** Visual weight; shown as `data-variant`. Defaults to `primary`. */
  variant?: ButtonVariant;
  /** Marks a running action: sets `aria-busy` and `data-busy`, the label stays readable. */
  busy?: boolean;
}

/** A real `<button>`, `type="button"` unless told otherwise so it never submits a form by accident. */
export function Button(props: ButtonProps) {
  const merged = mergeProps({ variant: 'primary' as ButtonVariant, type: 'button' as const }, props);
  const [local, others] = splitProps(merged, ['variant', 'busy', 'class']);
  return (
    <button
      {...others}
      class={cx('atum-button', local.class)}
      data-variant={local.variant}
      data-busy={local.busy ? '' : undefined}
      aria-busy={local.busy ? 'true' : undefined}
    />
  );
}
