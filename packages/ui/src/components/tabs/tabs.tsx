import { createSignal, createUniqueId, type JSX, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { TabsContext, type TabsContextValue, useTabsContext } from './tabs-context.ts';

export interface TabsRootProps extends Omit<JSX.HTMLAttributes<HTMLDivElement>, 'onChange'> {
  /** The selected tab, when the caller owns the state. */
  value?: string;
  /** The first selected tab, when the component owns the state. */
  defaultValue?: string;
  /** Called when the user picks another tab. */
  onChange?: (value: string) => void;
}

/** Tabs in the WAI-ARIA pattern: arrow keys move between tabs, one tab stop for the list. */
export function TabsRoot(props: TabsRootProps) {
  const [local, others] = splitProps(props, ['value', 'defaultValue', 'onChange', 'class']);
  const [own, setOwn] = createSignal(local.defaultValue ?? '');
  const base = `atum-tabs-${createUniqueId()}`;
  const context: TabsContextValue = {
    selected: () => local.value ?? own(),
    select(value) {
      setOwn(value);
      local.onChange?.(value);
    },
    triggerId: (value) => `${base}-tab-${value}`,
    panelId: (value) => `${base}-panel-${value}`,
  };
  return (
    <TabsContext.Provider value={context}>
      <div {...others} class={cx('atum-tabs', local.class)} />
    </TabsContext.Provider>
  );
}

export interface TabsListProps extends JSX.HTMLAttributes<HTMLDivElement> {
  /** What the tabs choose between, for assistive technology. */
  'aria-label': string;
}

/** The row of tabs. */
export function TabsList(props: TabsListProps) {
  const [local, others] = splitProps(props, ['class']);
  const onKeyDown: JSX.EventHandler<HTMLDivElement, KeyboardEvent> = (event) => {
    const tabs = Array.from(
      event.currentTarget.querySelectorAll<HTMLButtonElement>('[role="tab"]:not(:disabled)'),
    );
    const index = tabs.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    const next =
      event.key === 'ArrowRight'
        ? tabs[(index + 1) % tabs.length]
        : event.key === 'ArrowLeft'
          ? tabs[(index - 1 + tabs.length) % tabs.length]
          : event.key === 'Home'
            ? tabs[0]
            : event.key === 'End'
              ? tabs[tabs.length - 1]
              : undefined;
    if (!next) return;
    event.preventDefault();
    next.focus();
    next.click();
  };
  return <div {...others} role="tablist" class={cx('atum-tabs__list', local.class)} onKeyDown={onKeyDown} />;
}

export interface TabsTriggerProps extends JSX.ButtonHTMLAttributes<HTMLButtonElement> {
  value: string;
}

/** One tab; selected shows as `aria-selected` and `data-selected`. */
export function TabsTrigger(props: TabsTriggerProps) {
  const context = useTabsContext('Trigger');
  const [local, others] = splitProps(props, ['value', 'class']);
  const selected = () => context.selected() === local.value;
  return (
    <button
      {...others}
      type="button"
      role="tab"
      id={context.triggerId(local.value)}
      aria-controls={context.panelId(local.value)}
      aria-selected={selected() ? 'true' : 'false'}
      tabindex={selected() ? 0 : -1}
      data-selected={selected() ? '' : undefined}
      class={cx('atum-tabs__trigger', local.class)}
      onClick={() => context.select(local.value)}
    />
  );
}

export interface TabsPanelProps extends JSX.HTMLAttributes<HTMLDivElement> {
  value: string;
}

/** The content of one tab; hidden while another is selected. */
export function TabsPanel(props: TabsPanelProps) {
  const context = useTabsContext('Panel');
  const [local, others] = splitProps(props, ['value', 'class']);
  return (
    <div
      {...others}
      role="tabpanel"
      id={context.panelId(local.value)}
      aria-labelledby={context.triggerId(local.value)}
      hidden={context.selected() !== local.value}
      tabindex="0"
      class={cx('atum-tabs__panel', local.class)}
    />
  );
}
