import { type JSX, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { useTextFieldContext } from './text-field-context.ts';

export interface TextFieldLabelProps extends JSX.LabelHTMLAttributes<HTMLLabelElement> {}

/** The visible label, bound to the input with `for`. */
export function TextFieldLabel(props: TextFieldLabelProps) {
  const context = useTextFieldContext('Label');
  const [local, others] = splitProps(props, ['class', 'children']);
  return (
    <label {...others} for={context.inputId()} class={cx('atum-text-field__label', local.class)}>
      {local.children}
    </label>
  );
}
