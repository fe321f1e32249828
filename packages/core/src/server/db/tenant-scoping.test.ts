import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Defence in depth for tenant isolation (SPEC §4): the scoping helper (db/scoped.ts) is the only code
// that may read tickets, comments or attachments. A service that "forgets" it and queries a tenant
// table directly would answer with another organization's rows; this test fails the build before that
// can ship. Row-level security was the alternative; it is moot while the embedded database connects
// as a superuser (superusers bypass RLS), so the guard is here, where it holds for every installation.

const SERVER_DIR = dirname(fileURLToPath(import.meta.url)).replace(/\/db$/, '');
const TENANT_ENTITIES = ['Ticket', 'Comment', 'Attachment'];
const TENANT_TABLES = ['tickets', 'comments', 'attachments'];
const READ_METHODS = [
  'find',
  'findOne',
  'findOneOrFail',
  'findAll',
  'findAndCount',
  'findByCursor',
  'count',
  'stream',
  'createQueryBuilder',
  'qb',
  'nativeUpdate',
  'nativeDelete',
  'getRepository',
  'upsert',
];

/** Files allowed to touch tenant tables directly, and why. */
const ALLOWED = new Map([
  ['db/scoped.ts', 'the scoping helper itself'],
  ['db/migrations/', 'schema changes'],
  ['demo/demo-seed.ts', 'writes demo data as the system, before anyone signs in'],
  ['testing/', 'test fixtures'],
]);

const ORM_READ = new RegExp(
  `\\.(?:${READ_METHODS.join('|')})(?:<[^>]*>)?\\(\\s*(?:${TENANT_ENTITIES.join('|')})\\b`,
);
const SQL_READ = new RegExp(`\\b(?:from|join|update|into)\\s+"?(?:${TENANT_TABLES.join('|')})"?\\b`, 'i');

/** The lines of `source` that read a tenant table without the helper. */
function unscopedTenantAccess(source: string): string[] {
  return source
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .filter(({ line }) => ORM_READ.test(line) || SQL_READ.test(line))
    .map(({ line, number }) => `${number}: ${line.trim()}`);
}

async function serverSources(): Promise<string[]> {
  const entries = await readdir(SERVER_DIR, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('tenant tables', () => {
  it('are read only through the scoping helper', async () => {
    const offenders: string[] = [];
    for (const file of await serverSources()) {
      const path = relative(SERVER_DIR, file);
      if ([...ALLOWED.keys()].some((allowed) => path === allowed || path.startsWith(allowed))) continue;
      for (const line of unscopedTenantAccess(await readFile(file, 'utf8')))
        offenders.push(`${path}:${line}`);
    }
    expect(offenders).toEqual([]);
  });

  it('would catch a service that forgets the helper', () => {
    // What a careless "get ticket" looks like: any organization's ticket by id, for a customer.
    const forgetful = [
      'export async function getTicketCarelessly(em: EntityManager, scope: Scope, id: string) {',
      '  return em.findOneOrFail(Ticket, { id });',
      '}',
      "const rows = await em.execute('select * from tickets where id = ?', [id]);",
      'const notes = await em.find<Comment>(Comment, { ticket: id });',
    ].join('\n');
    expect(unscopedTenantAccess(forgetful)).toEqual([
      '2: return em.findOneOrFail(Ticket, { id });',
      "4: const rows = await em.execute('select * from tickets where id = ?', [id]);",
      '5: const notes = await em.find<Comment>(Comment, { ticket: id });',
    ]);
  });

  it('lets writes and unrelated reads through', () => {
    const fine = [
      'const ticket = tx.create(Ticket, { title });',
      'const user = await tx.findOne(User, { id });',
      'const ticket = await findVisibleTicket(tx, scope, id);',
    ].join('\n');
    expect(unscopedTenantAccess(fine)).toEqual([]);
  });
});
