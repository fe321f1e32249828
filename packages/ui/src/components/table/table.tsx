import { type JSX, mergeProps, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';

export interface TableRootProps extends JSX.HTMLAttributes<HTMLTableElement> {
  /** Below 40rem, show each row as a card with its cells' labels (`Table.Cell label`). Defaults to true. */
  stacked?: boolean;
}

/** A data table in a scroll container; on phones its rows stack into cards unless `stacked={false}`. */
export function TableRoot(props: TableRootProps) {
  const merged = mergeProps({ stacked: true }, props);
  const [local, others] = splitProps(merged, ['stacked', 'class']);
  return (
    <div class="atum-table-wrap">
      <table
        {...others}
        class={cx('atum-table', local.class)}
        data-stacked={local.stacked ? '' : undefined}
      />
    </div>
  );
}

export interface TableCaptionProps extends JSX.HTMLAttributes<HTMLTableCaptionElement> {
  /** Keep the caption for assistive technology only, when a heading above already says it. */
  hidden?: boolean;
}

/** The table's name. */
export function TableCaption(props: TableCaptionProps) {
  const [local, others] = splitProps(props, ['hidden', 'class']);
  return (
    <caption {...others} class={cx('atum-table__caption', local.hidden && 'visually-hidden', local.class)} />
  );
}

/** `<thead>`. */
export function TableHead(props: JSX.HTMLAttributes<HTMLTableSectionElement>) {
  return <thead {...props} />;
}

/** `<tbody>`. */
export function TableBody(props: JSX.HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody {...props} />;
}

/** `<tr>`. */
export function TableRow(props: JSX.HTMLAttributes<HTMLTableRowElement>) {
  const [local, others] = splitProps(props, ['class']);
  return <tr {...others} class={cx('atum-table__row', local.class)} />;
}

/** A column heading, `scope="col"`. */
export function TableHeaderCell(props: JSX.ThHTMLAttributes<HTMLTableCellElement>) {
  const merged = mergeProps({ scope: 'col' as const }, props);
  return <th {...merged} />;
}

export interface TableCellProps extends JSX.TdHTMLAttributes<HTMLTableCellElement> {
  /** The column's name, shown before the value when rows stack on phones. */
  label?: string;
}

/** A data cell. */
export function TableCell(props: TableCellProps) {
  const [local, others] = splitProps(props, ['label']);
  return <td {...others} data-label={local.label} />;
}
