import { type JSX, splitProps } from 'solid-js';
import { cx } from '../../utils/cx.ts';

export interface SidebarRootProps extends JSX.HTMLAttributes<HTMLElement> {
  /** Names the navigation landmark, e.g. "Desk sections". */
  'aria-label': string;
}

/** A side navigation: a labelled `<nav>` with a list of links; beside the content from 64rem up. */
export function SidebarRoot(props: SidebarRootProps) {
  const [local, others] = splitProps(props, ['class', 'children']);
  return (
    <nav {...others} class={cx('atum-sidebar', local.class)}>
      <ul class="atum-sidebar__list">{local.children}</ul>
    </nav>
  );
}

export interface SidebarLinkProps extends JSX.AnchorHTMLAttributes<HTMLAnchorElement> {
  /** Marks the page the user is on (`aria-current="page"`). */
  current?: boolean;
}

/** One entry of the sidebar. */
export function SidebarLink(props: SidebarLinkProps) {
  const [local, others] = splitProps(props, ['current', 'class']);
  return (
    <li>
      <a
        {...others}
        class={cx('atum-sidebar__link', local.class)}
        aria-current={local.current ? 'page' : undefined}
      />
    </li>
  );
}
