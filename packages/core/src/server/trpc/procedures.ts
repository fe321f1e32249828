import { TRPCError } from '@trpc/server';
import { STAFF_ROLES, type UserRole } from '../../domain/auth/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Scope } from '../auth/scope.ts';
import { isSessionGateFailure, type SessionGate, sameUser } from '../auth/session-gate.ts';
import type { SignedIn } from './context.ts';
import { domainErrors, mapDomainErrors, t, trpcErrorOf } from './init.ts';

// The named bases every procedure starts from (STYLE: the path of a request). Each narrows `ctx`:
// signed in → `ctx.scope` is set; staff, manager and admin also check the role. Rights are enforced here
// and in the services, never only in the UI. A signed-in base is one middleware (sign-in, the API limit,
// the role, and the mapping of domain errors together): tRPC copies its options and the context at
// every middleware step, so each step less is a little less work on every request.

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(domainErrors);

const signInFirst = () => new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });

/** A signed-in user (of one of `roles`, when given); counts against the per-user API rate limit. */
function signedIn(roles: readonly UserRole[] | null, what: string) {
  return t.procedure.use(async ({ ctx, next, meta, type }) => {
    // A session this process validated within the last minute is pending (trpc/context.ts): a procedure
    // that confirms it with its own statements acts on it at once, any other validates it first.
    const pending = ctx.pendingSignIn;
    const gated = pending !== null && meta?.sessionGate === true;
    const caller = ctx.auth ?? (pending && !gated ? await pending.validate() : (pending?.remembered ?? null));
    if (!caller) throw signInFirst();
    const limit = ctx.apiRateLimiter.consume(caller.user.id);
    if (!limit.allowed) {
      // A refusal is an answer too: a pending session is confirmed before it is given.
      if (gated && !(await pending.validate())) throw signInFirst();
      throw trpcErrorOf(
        new DomainError('RATE_LIMITED', 'too many requests; slow down', {
          retryAfterSeconds: limit.retryAfterSeconds,
        }),
        ctx.resHeaders,
      );
    }
    const serve = (auth: SignedIn, gate?: SessionGate) => {
      const scope: Scope = {
        actorId: auth.user.id,
        role: auth.user.role,
        organizationId: auth.user.organizationId,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        gate,
      };
      if (roles && !(roles as readonly string[]).includes(scope.role)) {
        throw new TRPCError({ code: 'FORBIDDEN', message: `${what} only` });
      }
      return next({ ctx: { ...ctx, auth, scope } });
    };
    if (!gated || !pending) return mapDomainErrors(await serve(caller), ctx.resHeaders);

    // Nothing is answered before the session is confirmed: by a statement of the procedure that returned
    // a row past the check, else by the usual validation now. When the check failed (the statement was
    // aborted: nothing was written), the session is validated afresh and the procedure runs again as the
    // user now is; so it does when it read or was refused as a user who has changed since. A change
    // that succeeded passed the check (its write carries it) and stands.
    const gate = pending.gate();
    let result: Awaited<ReturnType<typeof serve>> | undefined;
    let refused: unknown;
    try {
      result = await serve(caller, gate);
    } catch (error) {
      refused = error;
    }
    const failedAtGate = result !== undefined && !result.ok && isSessionGateFailure(result.error);
    if (!gate.confirmed || failedAtGate) {
      const current = await (failedAtGate ? pending.revalidate() : pending.validate());
      if (!current) {
        // Not this user's request after all: its hit does not count against them.
        ctx.apiRateLimiter.refund(caller.user.id);
        throw signInFirst();
      }
      const changed = !sameUser(current.user, caller.user);
      if (failedAtGate || (changed && (type === 'query' || result === undefined || !result.ok))) {
        return mapDomainErrors(await serve(current), ctx.resHeaders);
      }
    }
    if (result === undefined) throw refused;
    return mapDomainErrors(result, ctx.resHeaders);
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
