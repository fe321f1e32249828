import { type JSX, onCleanup, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { useTextFieldContext } from './text-field-context.ts';

export interface TextFieldDescriptionProps extends JSX.HTMLAttributes<HTMLParagraphElement> {}

/** A hint under the label (format, limits); the control is described by it. */
export function TextFieldDescription(props: TextFieldDescriptionProps) {
  const context = useTextFieldContext('Description');
  const [local, others] = splitProps(props, ['class']);
  context.setHasDescription(true);
  onCleanup(() => context.setHasDescription(false));
  return (
    <p {...others} id={context.descriptionId()} class={cx('atum-text-field__description', local.class)} />
  );
}
