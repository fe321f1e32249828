import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAtColumn, updatedAtColumn } from '../db/columns.ts';

/**
 * Installation-wide values kept in the database, so that every server and jobs process, on any host,
 * reads the same one (e.g. the generated signing secret when ATUM_SECRET is unset).
 */
export const Setting = defineEntity({
  name: 'Setting',
  tableName: 'settings',
  properties: {
    key: p.string().length(100).primary(),
    value: p.json<unknown>(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
});
export type Setting = InferEntity<typeof Setting>;
