import { type JSX, mergeProps, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { describedBy, useTextFieldContext } from './text-field-context.ts';

export interface TextFieldTextAreaProps extends JSX.TextareaHTMLAttributes<HTMLTextAreaElement> {}

/** A multi-line control, wired like `TextField.Input`. Five rows unless told otherwise. */
export function TextFieldTextArea(props: TextFieldTextAreaProps) {
  const context = useTextFieldContext('TextArea');
  const merged = mergeProps({ rows: 5 }, props);
  const [local, others] = splitProps(merged, ['class', 'aria-describedby']);
  return (
    <textarea
      {...others}
      id={context.inputId()}
      class={cx('atum-text-field__input', 'atum-text-field__text-area', local.class)}
      aria-invalid={context.invalid() ? 'true' : undefined}
      aria-describedby={describedBy(context, local['aria-describedby'])}
    />
  );
}
