import { type JSX, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';

export interface CardBodyProps extends JSX.HTMLAttributes<HTMLDivElement> {}

/** The card's content area. */
export function CardBody(props: CardBodyProps) {
  const [local, others] = splitProps(props, ['class']);
  return <div {...others} class={cx('atum-card__body', local.class)} />;
}
