import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../auth/scope.ts';
import { createTestUser } from '../testing/caller.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { openOrm } from './orm.ts';
import { listVisibleTickets } from './scoped.ts';
import { queryRows } from './sql.ts';

// A list page is a prepared statement whose generic plan must know the page's row count: with
// `limit $n`, PostgreSQL plans the generic plan for a tenth of the estimated rows, prefers a bitmap scan
// and a sort for those, and then plans every execution anew (docs/PERFORMANCE.md, "What changed").

const db = useTestDatabase();
let orm: MikroORM;
let customer: Scope;
let agent: Scope;

beforeAll(async () => {
  // One connection, so the statements prepared by the lists are the ones this test reads back.
  orm = await openOrm(db.url, { poolSize: 1 });
  const em = orm.em.fork();
  const requester = await createTestUser(em, { role: 'CUSTOMER_USER' });
  const staff = await createTestUser(em, { role: 'AGENT' });
  for (let i = 0; i < 5; i++) {
    em.create(Ticket, {
      organization: requester.organization?.id ?? '',
      createdBy: requester.id,
      title: `Printer ${i}`,
      description: 'It does not print.',
      priority: 'LOW',
    });
  }
  await em.flush();
  const scopeOf = (user: typeof requester): Scope => ({
    actorId: user.id,
    role: user.role,
    organizationId: user.organization?.id ?? null,
    ip: null,
    userAgent: null,
  });
  customer = scopeOf(requester);
  agent = scopeOf(staff);
});

afterAll(async () => {
  await orm?.close();
});

describe('a list page statement', () => {
  it('carries its row count in its text, for one way of seeing tickets and for several', async () => {
    const em = orm.em.fork();
    const page = await listVisibleTickets(em, customer, {}, { limit: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.nextCursor).not.toBeNull();
    await listVisibleTickets(em, agent, { status: 'ACCEPTED' }, { limit: 7 });
    const prepared = await queryRows<{ statement: string; parameter_types: string }>(
      em,
      "select statement, parameter_types::text from pg_prepared_statements where statement like '%from tickets t%order by t.created_at desc%'",
      [],
    );
    const lists = prepared.map((row) => row.statement.replace(/\s+/g, ' '));
    expect(lists.some((sql) => /order by t\.created_at desc, t\.id desc limit 4$/.test(sql))).toBe(true);
    // An agent's two ways, each limited, and the merge.
    expect(lists.some((sql) => (sql.match(/limit 8\b/g) ?? []).length === 3)).toBe(true);
    for (const sql of lists) expect(sql).not.toMatch(/limit \$\d+/);
  });
});
