import { createSignal, createUniqueId, type JSX, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { TextFieldContext, type TextFieldContextValue } from './text-field-context.ts';

export interface TextFieldRootProps extends JSX.HTMLAttributes<HTMLDivElement> {
  /** Marks the value invalid: the control gets `aria-invalid` and is described by `TextField.Error`. */
  invalid?: boolean;
  /** Id for the control; generated when absent. */
  inputId?: string;
}

/** Groups a label, a control (input, text area or select), a hint and an error, and wires their ids. */
export function TextFieldRoot(props: TextFieldRootProps) {
  const [local, others] = splitProps(props, ['invalid', 'inputId', 'class']);
  const generatedId = `atum-field-${createUniqueId()}`;
  const [hasDescription, setHasDescription] = createSignal(false);
  const id = () => local.inputId ?? generatedId;
  const context: TextFieldContextValue = {
    inputId: id,
    errorId: () => `${id()}-error`,
    descriptionId: () => `${id()}-description`,
    hasDescription,
    setHasDescription,
    invalid: () => local.invalid === true,
  };
  return (
    <TextFieldContext.Provider value={context}>
      <div
        {...others}
        class={cx('atum-text-field', local.class)}
        data-invalid={local.invalid ? '' : undefined}
      />
    </TextFieldContext.Provider>
  );
}
