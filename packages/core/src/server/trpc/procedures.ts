import { TRPCError } from '@trpc/server';
import { STAFF_ROLES, type UserRole } from '../../domain/auth/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import { scopeOf } from './context.ts';
import { domainErrors, t } from './init.ts';

// The named bases every procedure starts from (STYLE: the path of a request). Each narrows `ctx`:
// signed in → `ctx.scope` is set; staff, manager and admin also check the role. Rights are enforced here
// and in the services, never only in the UI.

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(domainErrors);

/** A signed-in user; counts against the per-user API rate limit. */
export const signedInProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const scope = scopeOf(ctx);
  if (!ctx.auth || !scope) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  const limit = ctx.apiRateLimiter.consume(ctx.auth.user.id);
  if (!limit.allowed) {
    throw new DomainError('RATE_LIMITED', 'too many requests; slow down', {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  }
  return next({ ctx: { ...ctx, auth: ctx.auth, scope } });
});

function requireRole(roles: readonly UserRole[], what: string) {
  return signedInProcedure.use(({ ctx, next }) => {
    if (!(roles as readonly string[]).includes(ctx.scope.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `${what} only` });
    }
    return next();
  });
}

/** AGENT, MANAGER or ADMIN. */
export const staffProcedure = requireRole(STAFF_ROLES, 'staff');
/** MANAGER or ADMIN. */
export const managerProcedure = requireRole(['MANAGER', 'ADMIN'], 'managers');
/** ADMIN. */
export const adminProcedure = requireRole(['ADMIN'], 'administrators');
