import { z } from 'zod';
import { ZUserRole } from './roles.ts';

/** An e-mail address as users type it; stored and compared lower-cased. */
export const ZEmail = z
  .email({ error: 'enter a valid e-mail address' })
  .max(320)
  .transform((email) => email.toLowerCase());

/** A new password: long enough to resist guessing, short enough to hash quickly. */
export const ZNewPassword = z
  .string()
  .min(12, 'use at least 12 characters')
  .max(256, 'use at most 256 characters');

export const ZLoginInput = z.object({
  email: ZEmail,
  password: z.string().min(1, 'enter your password').max(256),
});
export type LoginInput = z.infer<typeof ZLoginInput>;

/** A user as the API shows it; the password hash never leaves the server. */
export const ZUser = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: ZUserRole,
  organizationId: z.uuid().nullable(),
  isActive: z.boolean(),
});
export type UserInfo = z.infer<typeof ZUser>;

export const ZLoginOutput = z.object({
  /** The session token, also set as an HttpOnly cookie; send it as `Authorization: Bearer <token>`. */
  token: z.string(),
  user: ZUser,
  expiresAt: z.date(),
});
export type LoginOutput = z.infer<typeof ZLoginOutput>;
