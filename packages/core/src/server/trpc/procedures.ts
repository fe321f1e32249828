import { TRPCError } from '@trpc/server';
import { STAFF_ROLES, type UserRole } from '../../domain/auth/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import { scopeOf } from './context.ts';
import { domainErrors, mapDomainErrors, t, trpcErrorOf } from './init.ts';

// The named bases every procedure starts from (STYLE: the path of a request). Each narrows `ctx`:
// signed in → `ctx.scope` is set; staff, manager and admin also check the role. Rights are enforced here
// and in the services, never only in the UI. A signed-in base is one middleware (sign-in, the API limit,
// the role, and the mapping of domain errors together): tRPC copies its options and the context at
// every middleware step, so each step less is a little less work on every request.

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(domainErrors);

/** A signed-in user (of one of `roles`, when given); counts against the per-user API rate limit. */
function signedIn(roles: readonly UserRole[] | null, what: string) {
  return t.procedure.use(async ({ ctx, next }) => {
    const scope = scopeOf(ctx);
    if (!ctx.auth || !scope) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
    const limit = ctx.apiRateLimiter.consume(ctx.auth.user.id);
    if (!limit.allowed) {
      throw trpcErrorOf(
        new DomainError('RATE_LIMITED', 'too many requests; slow down', {
          retryAfterSeconds: limit.retryAfterSeconds,
        }),
        ctx.resHeaders,
      );
    }
    if (roles && !(roles as readonly string[]).includes(scope.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `${what} only` });
    }
    return mapDomainErrors(await next({ ctx: { ...ctx, auth: ctx.auth, scope } }), ctx.resHeaders);
  });
}

/** Any signed-in user. */
export const signedInProcedure = signedIn(null, 'signed-in users');
/** AGENT, MANAGER or ADMIN. */
export const staffProcedure = signedIn(STAFF_ROLES, 'staff');
/** MANAGER or ADMIN. */
export const managerProcedure = signedIn(['MANAGER', 'ADMIN'], 'managers');
/** ADMIN. */
export const adminProcedure = signedIn(['ADMIN'], 'administrators');
