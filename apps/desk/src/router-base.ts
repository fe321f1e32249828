/** Where the server mounts the desk; Vite's `base` without the trailing slash. */
export const ROUTER_BASE = '/desk';

/** A location's path as the router's own links write it: without ROUTER_BASE. */
export function withinBase(pathname: string): string {
  return pathname === ROUTER_BASE || pathname.startsWith(`${ROUTER_BASE}/`)
    ? pathname.slice(ROUTER_BASE.length) || '/'
    : pathname;
}
