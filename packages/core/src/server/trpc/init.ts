import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError, z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import type { Context } from './context.ts';
import { DOMAIN_ERROR_MAP } from './error-map.ts';

/** What a procedure declares besides its REST route. */
export interface ProcedureMeta extends OpenApiMeta {
  /**
   * The procedure may act on a session its process remembers, confirmed by its own statements
   * (auth/session-gate.ts): every statement it sends before the session is confirmed reads tickets through
   * the tenant scope's conditions or is a write that carries the check (db/scoped.ts), and any other write
   * is preceded by `scope.gate.confirm()`. Without it, a remembered session is validated first.
   */
  sessionGate?: boolean;
}

/** The tRPC instance: our context, OpenAPI metadata on every procedure, one error formatter. */
export const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Dates and the like survive the trip to the typed client; REST ignores transformers and sends JSON.
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      // A 500 never shows its cause; the log has it.
      const message = error.code === 'INTERNAL_SERVER_ERROR' ? 'internal error' : shape.message;
      return {
        ...shape,
        message,
        data: {
          ...shape.data,
          stack: undefined,
          domainCode: cause instanceof DomainError ? cause.code : undefined,
          details: cause instanceof DomainError ? cause.details : undefined,
          issues: cause instanceof ZodError ? cause.issues : undefined,
          fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : undefined,
        },
      };
    },
  });

/** The tRPC error a DomainError's code maps to; a refusal for too many requests says when to retry. */
export function trpcErrorOf(cause: DomainError, resHeaders: Headers): TRPCError {
  if (cause.code === 'RATE_LIMITED') {
    const retryAfter = cause.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') resHeaders.set('Retry-After', String(retryAfter));
  }
  return new TRPCError({ code: DOMAIN_ERROR_MAP[cause.code].trpc, message: cause.message, cause });
}

/** Turns a DomainError in a procedure's result into the tRPC error its code maps to. */
export function mapDomainErrors<T extends { ok: boolean; error?: unknown }>(
  result: T,
  resHeaders: Headers,
): T {
  if (!result.ok && result.error instanceof TRPCError && result.error.cause instanceof DomainError) {
    throw trpcErrorOf(result.error.cause, resHeaders);
  }
  return result;
}

/** Turns a DomainError thrown by a service into the tRPC error its code maps to. */
export const domainErrors = t.middleware(async ({ next, ctx }) =>
  mapDomainErrors(await next(), ctx.resHeaders),
);
