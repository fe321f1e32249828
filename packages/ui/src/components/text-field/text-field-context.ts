import { createContext, useContext } from 'solid-js';

export interface TextFieldContextValue {
  /** Id of the input, which the label's `for` points at. */
  inputId(): string;
  /** Id of the error message, referenced by the input's `aria-describedby` while invalid. */
  errorId(): string;
  invalid(): boolean;
}

export const TextFieldContext = createContext<TextFieldContextValue>();

/** The enclosing field; throws so a part used outside `TextField.Root` fails loudly in development. */
export function useTextFieldContext(part: string): TextFieldContextValue {
  const context = useContext(TextFieldContext);
  if (!context) {
    throw new Error(`TextField.${part} must be used inside TextField.Root`);
  }
  return context;
}
