export type {
  TabsListProps as ListProps,
  TabsPanelProps as PanelProps,
  TabsRootProps as RootProps,
  TabsTriggerProps as TriggerProps,
} from './tabs.tsx';
export { TabsList as List, TabsPanel as Panel, TabsRoot as Root, TabsTrigger as Trigger } from './tabs.tsx';
