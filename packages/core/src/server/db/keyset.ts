import { DomainError } from '../../domain/errors.ts';

/** The position of a row in a newest-first list: its creation time, then its id. */
export interface Keyset {
  createdAt: Date;
  id: string;
}

/** Where a page ends, as an opaque cursor for the next request. */
export function encodeCursor(row: Keyset): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

/** The position a cursor names; a cursor that was not ours answers 400. */
export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(createdAt));
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime()))
      throw new Error();
    return { createdAt: date, id };
  } catch {
    throw new DomainError('VALIDATION', 'invalid cursor');
  }
}

/** The filter for rows after `position` in newest-first order. */
export function olderThan(position: Keyset) {
  return {
    $or: [
      { createdAt: { $lt: position.createdAt } },
      { createdAt: position.createdAt, id: { $lt: position.id } },
    ],
  };
}

/** Cuts a fetch of `limit + 1` rows into a page and the cursor of the next one. */
export function toPage<T extends Keyset>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
