import { type JSX, mergeProps, splitProps } from 'solid-js';
import logoUrl from '../../../brand/logo.svg';
import { cx } from '../../utils/cx.ts';

export interface LogoProps extends Omit<JSX.ImgHTMLAttributes<HTMLImageElement>, 'src' | 'alt'> {
  /** Rendered width and height in CSS pixels. Defaults to 40. */
  size?: number;
  /** Hide from assistive technology when text next to it already says "ATUM DESK". */
  decorative?: boolean;
}

/** The ATUM mark: the sun disk over Atum wearing the double crown. */
export function Logo(props: LogoProps) {
  const merged = mergeProps({ size: 40, decorative: false }, props);
  const [local, others] = splitProps(merged, ['size', 'decorative', 'class']);
  return (
    <img
      {...others}
      src={logoUrl}
      alt={local.decorative ? '' : 'ATUM DESK'}
      width={local.size}
      height={local.size}
      class={cx('atum-logo', local.class)}
    />
  );
}
