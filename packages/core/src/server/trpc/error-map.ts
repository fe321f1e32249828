import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { DomainErrorCode } from '../../domain/errors.ts';

/**
 * The one translation of domain error codes to tRPC codes and HTTP statuses. A record over every code:
 * a code added to the domain fails the build until it is mapped here.
 */
export const DOMAIN_ERROR_MAP: Record<DomainErrorCode, { trpc: TRPC_ERROR_CODE_KEY; status: number }> = {
  UNAUTHENTICATED: { trpc: 'UNAUTHORIZED', status: 401 },
  NOT_FOUND: { trpc: 'NOT_FOUND', status: 404 },
  FORBIDDEN: { trpc: 'FORBIDDEN', status: 403 },
  INVALID_TRANSITION: { trpc: 'CONFLICT', status: 409 },
  CONFLICT: { trpc: 'CONFLICT', status: 409 },
  RATE_LIMITED: { trpc: 'TOO_MANY_REQUESTS', status: 429 },
  PAYLOAD_TOO_LARGE: { trpc: 'PAYLOAD_TOO_LARGE', status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { trpc: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
  VALIDATION: { trpc: 'BAD_REQUEST', status: 400 },
};
