import { NotFound } from '@atum-desk/ui';
import { ROUTER_BASE } from '../router-base.ts';

/** Shown for any address the customer portal does not know. */
export function NotFoundPage() {
  return <NotFound homeHref={`${ROUTER_BASE}/`} homeLabel="Back to the portal home" />;
}
