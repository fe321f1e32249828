import { SESSION_COOKIE } from '@atum-desk/core/server';
import { createMiddleware } from 'hono/factory';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses cookie-authenticated mutations from another origin (CSRF): a browser sends the session cookie
 * with a cross-site form post too (SameSite=Lax still allows top-level POST navigations in some
 * browsers), but always names the page's origin. Bearer-token clients carry no ambient credential and
 * are not checked. Allowed: PUBLIC_URL's origin and the origin the request itself was addressed to.
 */
export function originCheck(publicUrl: string) {
  const publicOrigin = new URL(publicUrl).origin;
  return createMiddleware(async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const cookie = c.req.header('cookie') ?? '';
    const usesCookie = !c.req.header('authorization') && cookie.includes(`${SESSION_COOKIE}=`);
    if (!usesCookie) return next();
    const origin = c.req.header('origin');
    const own = new URL(c.req.url).origin;
    if (origin && (origin === publicOrigin || origin === own)) return next();
    return c.json(
      { error: { code: 'FORBIDDEN', message: 'cross-origin request refused: send an Origin of this site' } },
      403,
    );
  });
}
