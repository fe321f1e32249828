import type { UserInfo } from '../../domain/auth/auth.schema.ts';
import type { User } from './user.entity.ts';

/** A user as the API shows it; never the password hash. */
export function toUserInfo(user: User): UserInfo {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organizationId: user.organization?.id ?? null,
    isActive: user.isActive,
  };
}
