import { type JSX, Show, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { useTextFieldContext } from './text-field-context.ts';

export interface TextFieldErrorProps extends JSX.HTMLAttributes<HTMLParagraphElement> {}

/** The error message; rendered only while the field is invalid. */
export function TextFieldError(props: TextFieldErrorProps) {
  const context = useTextFieldContext('Error');
  const [local, others] = splitProps(props, ['class']);
  return (
    <Show when={context.invalid()}>
      <p {...others} id={context.errorId()} class={cx('atum-text-field__error', local.class)} />
    </Show>
  );
}
