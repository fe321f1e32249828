export type { SidebarLinkProps as LinkProps, SidebarRootProps as RootProps } from './sidebar.tsx';
export { SidebarLink as Link, SidebarRoot as Root } from './sidebar.tsx';
