import { z } from 'zod';
import {
  ZCreateUserInput,
  ZStaffListInput,
  ZStaffMember,
  ZUpdateUserInput,
  ZUserId,
  ZUserListInput,
  ZUserPage,
} from '../../domain/admin/user-admin.schema.ts';
import { ZUser } from '../../domain/auth/auth.schema.ts';
import { isStaffRole } from '../../domain/auth/roles.ts';
import { t } from '../trpc/init.ts';
import { adminProcedure, staffProcedure } from '../trpc/procedures.ts';
import { toUserInfo } from './user.mapper.ts';
import { createUser, getUser, listStaff, listUsers, updateUser } from './user-admin.service.ts';

/** Users, for administrators (SPEC §11 `CRUD /api/v1/users`). Passwords go in, never out. */
export const userRouter = t.router({
  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/users', tags: ['admin'], summary: 'Users, filtered' } })
    .input(ZUserListInput)
    .output(ZUserPage)
    .query(async ({ ctx, input }) => {
      const page = await listUsers(ctx.em, ctx.scope, input);
      return { items: page.items.map(toUserInfo), nextCursor: page.nextCursor };
    }),

  create: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/users', tags: ['admin'], summary: 'Create a user' } })
    .input(ZCreateUserInput)
    .output(ZUser)
    .mutation(async ({ ctx, input }) => toUserInfo(await createUser(ctx.em, ctx.scope, input))),

  get: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/users/{id}', tags: ['admin'], summary: 'A user' } })
    .input(z.object({ id: ZUserId }))
    .output(ZUser)
    .query(async ({ ctx, input }) => toUserInfo(await getUser(ctx.em, ctx.scope, input.id))),

  update: adminProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/users/{id}',
        tags: ['admin'],
        summary: 'Change, deactivate or reset the password of a user',
      },
    })
    .input(ZUpdateUserInput)
    .output(ZUser)
    .mutation(async ({ ctx, input }) => toUserInfo(await updateUser(ctx.em, ctx.scope, input))),
});

/** The staff directory the desk picks assignees from (`GET /api/v1/internal/staff`). */
export const staffRouter = t.router({
  list: staffProcedure
    .meta({
      openapi: { method: 'GET', path: '/internal/staff', tags: ['internal'], summary: 'Active staff' },
    })
    .input(ZStaffListInput)
    .output(z.array(ZStaffMember))
    .query(async ({ ctx, input }) =>
      (await listStaff(ctx.em, ctx.scope, input)).flatMap((user) =>
        isStaffRole(user.role) ? [{ id: user.id, name: user.name, email: user.email, role: user.role }] : [],
      ),
    ),
});
