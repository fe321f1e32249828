import { NotFound } from '@atum-desk/ui';
import { usePageTitle } from '../page-title.ts';
import { ROUTER_BASE } from '../router-base.ts';

/** Shown for any address the staff desk does not know. */
export function NotFoundPage() {
  usePageTitle(() => 'Page not found');
  return <NotFound homeHref={`${ROUTER_BASE}/`} homeLabel="Back to the desk home" />;
}
