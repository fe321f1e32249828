import { createUniqueId, type JSX, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { TextFieldContext, type TextFieldContextValue } from './text-field-context.ts';

export interface TextFieldRootProps extends JSX.HTMLAttributes<HTMLDivElement> {
  /** Marks the value invalid: the input gets `aria-invalid` and is described by `TextField.Error`. */
  invalid?: boolean;
  /** Id for the input; generated when absent. */
  inputId?: string;
}

/** Groups a label, an input and an error message and wires their ids together. */
export function TextFieldRoot(props: TextFieldRootProps) {
  const [local, others] = splitProps(props, ['invalid', 'inputId', 'class']);
  const generatedId = `atum-field-${createUniqueId()}`;
  const context: TextFieldContextValue = {
    inputId: () => local.inputId ?? generatedId,
    errorId: () => `${local.inputId ?? generatedId}-error`,
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
