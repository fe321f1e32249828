import { p } from '@mikro-orm/core';
import { newId } from './ids.ts';

// Shared column builders. Ids are UUIDv7: time-ordered, so new rows land at the right edge of the
// primary-key index instead of scattering across it.

/** A UUIDv7 primary key assigned by the application. */
export const idColumn = () =>
  p
    .uuid()
    .primary()
    .onCreate(() => newId());

/** When the row was created. */
export const createdAtColumn = () =>
  p
    .datetime()
    .defaultRaw('now()')
    .onCreate(() => new Date());

/** When the row was last changed. */
export const updatedAtColumn = () =>
  p
    .datetime()
    .defaultRaw('now()')
    .onCreate(() => new Date())
    .onUpdate(() => new Date());
