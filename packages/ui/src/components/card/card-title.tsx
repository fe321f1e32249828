import { type JSX, mergeProps, splitProps } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { cx } from '../../utils/cx.ts';

export interface CardTitleProps extends JSX.HTMLAttributes<HTMLHeadingElement> {
  /** Heading level, so the card fits the page outline. Defaults to 2. */
  level?: 1 | 2 | 3 | 4;
}

/** The card's heading, set in the display serif. */
export function CardTitle(props: CardTitleProps) {
  const merged = mergeProps({ level: 2 }, props);
  const [local, others] = splitProps(merged, ['level', 'class']);
  return <Dynamic component={`h${local.level}`} {...others} class={cx('atum-card__title', local.class)} />;
}
