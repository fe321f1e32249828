import { z } from 'zod';

// Pieces the admin list inputs share. They arrive as query strings over REST (`GET /api/v1/users?…`)
// and as typed values over tRPC, so each accepts both.

/** Keyset paging; the cursor is opaque to clients. */
export const ZAdminPageInput = z.object({
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/**
 * A yes/no filter: a boolean, or `true`/`false` in a query string. Not `z.coerce.boolean()`, which reads
 * the string `false` as true; and not a bare `z.boolean()`, which the REST adapter turns into exactly
 * that coercion for query parameters.
 */
export const ZQueryFlag = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((value) => value === true || value === 'true');

/** A page of results and the cursor of the next page (null on the last). */
export function zPage<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
