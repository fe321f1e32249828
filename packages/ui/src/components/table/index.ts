export type {
  TableCaptionProps as CaptionProps,
  TableCellProps as CellProps,
  TableRootProps as RootProps,
} from './table.tsx';
export {
  TableBody as Body,
  TableCaption as Caption,
  TableCell as Cell,
  TableHead as Head,
  TableHeaderCell as HeaderCell,
  TableRoot as Root,
  TableRow as Row,
} from './table.tsx';
