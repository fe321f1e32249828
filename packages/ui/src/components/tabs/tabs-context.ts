import { type Accessor, createContext, useContext } from 'solid-js';

export interface TabsContextValue {
  selected: Accessor<string>;
  select(value: string): void;
  triggerId(value: string): string;
  panelId(value: string): string;
}

export const TabsContext = createContext<TabsContextValue>();

/** The enclosing tabs; throws so a part used outside `Tabs.Root` fails loudly in development. */
export function useTabsContext(part: string): TabsContextValue {
  const context = useContext(TabsContext);
  if (!context) throw new Error(`Tabs.${part} must be used inside Tabs.Root`);
  return context;
}
