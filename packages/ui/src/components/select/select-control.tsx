import { type JSX, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { describedBy, useTextFieldContext } from '../text-field/text-field-context.ts';

export interface SelectControlProps extends JSX.SelectHTMLAttributes<HTMLSelectElement> {}

/**
 * A native `<select>`: the platform's own picker on phones, and keyboard and screen-reader behaviour
 * for free. Options are its children (`<option value="…">`).
 */
export function SelectControl(props: SelectControlProps) {
  const context = useTextFieldContext('Control');
  const [local, others] = splitProps(props, ['class', 'aria-describedby']);
  return (
    <select
      {...others}
      id={context.inputId()}
      class={cx('atum-text-field__input', 'atum-select', local.class)}
      aria-invalid={context.invalid() ? 'true' : undefined}
      aria-describedby={describedBy(context, local['aria-describedby'])}
    />
  );
}
