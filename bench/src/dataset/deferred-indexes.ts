import type pg from 'pg';

// Bulk loading the way PostgreSQL's manual advises ("Populating a Database", §14.4): drop the indexes and
// foreign keys of the big tables, COPY, then build the indexes in one pass each and add the foreign keys
// back, which validates every row with a single join instead of a lookup per row. Nothing here names an
// index: the definitions are read from the catalog after the product's migrations ran, so the data set
// always ends with exactly the schema the migrations give.

/** A constraint or index to put back after the load, as the catalog printed it. */
export interface DeferredObject {
  table: string;
  name: string;
  /** `p` primary key, `u` unique, `f` foreign key, `i` plain index. */
  kind: 'p' | 'u' | 'f' | 'i';
  /** The statement that recreates it. */
  create: string;
}

interface ConstraintRow {
  table: string;
  name: string;
  kind: 'p' | 'u' | 'f';
  definition: string;
}

interface IndexRow {
  table: string;
  name: string;
  definition: string;
}

/**
 * Reads and drops the keys, unique constraints, foreign keys and indexes of `tables`, and every foreign
 * key of other tables that points at them. Check constraints stay: they are checked row by row anyway.
 */
export async function dropForLoad(client: pg.Client, tables: readonly string[]): Promise<DeferredObject[]> {
  const constraints = await client.query<ConstraintRow>(
    `select c.conrelid::regclass::text as "table", c.conname as name, c.contype as kind,
            pg_get_constraintdef(c.oid) as definition
       from pg_constraint c
      where c.contype in ('p', 'u', 'f')
        and (c.conrelid = any($1::regclass[]) or (c.contype = 'f' and c.confrelid = any($1::regclass[])))
      order by c.contype = 'f' desc, c.conname`,
    [tables],
  );
  const indexes = await client.query<IndexRow>(
    `select i.indrelid::regclass::text as "table", ic.relname as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i
       join pg_class ic on ic.oid = i.indexrelid
      where i.indrelid = any($1::regclass[])
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.contype in ('p', 'u', 'x'))
      order by ic.relname`,
    [tables],
  );
  const deferred: DeferredObject[] = [
    ...constraints.rows.map((row) => ({
      table: row.table,
      name: row.name,
      kind: row.kind,
      create: `alter table ${row.table} add constraint "${row.name}" ${row.definition}`,
    })),
    ...indexes.rows.map((row) => ({
      table: row.table,
      name: row.name,
      kind: 'i' as const,
      create: row.definition,
    })),
  ];
  // Foreign keys first (they depend on the keys), then keys and unique constraints, then indexes.
  for (const object of deferred) {
    if (object.kind === 'i') await client.query(`drop index "${object.name}"`);
    else await client.query(`alter table ${object.table} drop constraint "${object.name}"`);
  }
  return deferred;
}

/** The statements that restore `deferred` for one table, keys before indexes; foreign keys excluded. */
export function restoreStatements(deferred: readonly DeferredObject[], table: string): string[] {
  const order = { p: 0, u: 1, i: 2, f: 3 } as const;
  return deferred
    .filter((object) => object.table === table && object.kind !== 'f')
    .sort((a, b) => order[a.kind] - order[b.kind] || expensiveLast(a) - expensiveLast(b))
    .map((object) => object.create);
}

/** The statements that add the foreign keys back (after every table has its keys). */
export function foreignKeyStatements(deferred: readonly DeferredObject[]): string[] {
  return deferred.filter((object) => object.kind === 'f').map((object) => object.create);
}

function expensiveLast(object: DeferredObject): number {
  return /using gin/i.test(object.create) ? 1 : 0;
}
