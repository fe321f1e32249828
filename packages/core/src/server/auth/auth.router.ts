import { z } from 'zod';
import { ZLoginInput, ZLoginOutput, ZUser } from '../../domain/auth/auth.schema.ts';
import { sessionCookie } from '../trpc/context.ts';
import { t } from '../trpc/init.ts';
import { publicProcedure, signedInProcedure } from '../trpc/procedures.ts';
import { toUserInfo } from '../users/user.mapper.ts';
import { login, logout } from './auth.service.ts';

export const authRouter = t.router({
  login: publicProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/login', tags: ['auth'], summary: 'Sign in' } })
    .input(ZLoginInput)
    .output(ZLoginOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await login(
        ctx.em,
        input,
        { ip: ctx.ip, userAgent: ctx.userAgent },
        { loginFailures: ctx.config.rateLimits.loginFailures },
      );
      ctx.resHeaders.append('Set-Cookie', sessionCookie(ctx.config, result.token, result.session.expiresAt));
      return { token: result.token, user: toUserInfo(result.user), expiresAt: result.session.expiresAt };
    }),

  logout: signedInProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/logout', tags: ['auth'], summary: 'End this session' } })
    .input(z.void())
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      await logout(ctx.em, ctx.auth.session, {
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        userId: ctx.scope.actorId,
        organizationId: ctx.scope.organizationId,
      });
      ctx.resHeaders.append('Set-Cookie', sessionCookie(ctx.config, null));
      return { ok: true as const };
    }),

  me: signedInProcedure
    .meta({ openapi: { method: 'GET', path: '/me', tags: ['auth'], summary: 'The signed-in user' } })
    .input(z.void())
    .output(ZUser)
    .query(({ ctx }) => ctx.auth.user),
});
