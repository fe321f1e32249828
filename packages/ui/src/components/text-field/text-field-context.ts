import { createContext, useContext } from 'solid-js';

export interface TextFieldContextValue {
  /** Id of the control, which the label's `for` points at. */
  inputId(): string;
  /** Id of the error message, referenced by the control's `aria-describedby` while invalid. */
  errorId(): string;
  /** Id of the hint, referenced by the control's `aria-describedby` while a hint is rendered. */
  descriptionId(): string;
  /** Whether a `Description` part is rendered (it registers itself). */
  hasDescription(): boolean;
  /** Called by `Description` when it mounts and unmounts. */
  setHasDescription(present: boolean): void;
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

/** The `aria-describedby` of a field's control: the caller's ids, then the hint, then the error. */
export function describedBy(context: TextFieldContextValue, own: string | undefined): string | undefined {
  return (
    [
      own,
      context.hasDescription() ? context.descriptionId() : undefined,
      context.invalid() ? context.errorId() : undefined,
    ]
      .filter(Boolean)
      .join(' ') || undefined
  );
}
