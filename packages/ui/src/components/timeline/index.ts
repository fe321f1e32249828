export type { TimelineItemProps as ItemProps, TimelineKind as Kind } from './timeline.tsx';
export { TimelineItem as Item, TimelineRoot as Root } from './timeline.tsx';
