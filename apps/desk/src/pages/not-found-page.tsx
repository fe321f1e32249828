import { NotFound } from '@atum-desk/ui';
import { ROUTER_BASE } from '../app.tsx';

/** Shown for any address the staff desk does not know. */
export function NotFoundPage() {
  return <NotFound homeHref={`${ROUTER_BASE}/`} homeLabel="Back to the desk home" />;
}
