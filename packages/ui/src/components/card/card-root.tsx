import { type JSX, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';

export interface CardRootProps extends JSX.HTMLAttributes<HTMLDivElement> {}

/** A glass panel: translucent night, blurred backdrop, fine gold edge. */
export function CardRoot(props: CardRootProps) {
  const [local, others] = splitProps(props, ['class']);
  return <div {...others} class={cx('atum-card', 'glass', local.class)} />;
}
