import { createContext, useContext } from 'solid-js';

export interface ModalContextValue {
  titleId: string;
  descriptionId: string;
  close(): void;
}

export const ModalContext = createContext<ModalContextValue>();

/** The enclosing modal; throws so a part used outside `Modal.Root` fails loudly in development. */
export function useModalContext(part: string): ModalContextValue {
  const context = useContext(ModalContext);
  if (!context) throw new Error(`Modal.${part} must be used inside Modal.Root`);
  return context;
}
