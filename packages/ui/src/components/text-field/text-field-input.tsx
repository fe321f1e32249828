import { type JSX, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { describedBy, useTextFieldContext } from './text-field-context.ts';

export interface TextFieldInputProps extends JSX.InputHTMLAttributes<HTMLInputElement> {}

/** The input; invalid state shows as `aria-invalid` and links the error through `aria-describedby`. */
export function TextFieldInput(props: TextFieldInputProps) {
  const context = useTextFieldContext('Input');
  const [local, others] = splitProps(props, ['class', 'aria-describedby']);
  return (
    <input
      {...others}
      id={context.inputId()}
      class={cx('atum-text-field__input', local.class)}
      aria-invalid={context.invalid() ? 'true' : undefined}
      aria-describedby={describedBy(context, local['aria-describedby'])}
    />
  );
}
