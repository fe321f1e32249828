import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openOrm } from './orm.ts';

const db = useTestDatabase();
let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm(db.url, { poolSize: 3 });
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await orm?.close();
});

/** The backend process ids of `count` statements that hold their connections at the same time. */
async function backendsOf(count: number): Promise<Set<number>> {
  const rows = await Promise.all(
    Array.from({ length: count }, () =>
      orm.em.fork().execute<{ pid: number }[]>('select pg_backend_pid() as pid, pg_sleep(0.05)'),
    ),
  );
  return new Set(rows.map(([row]) => Number(row?.pid)));
}

describe('the connection pool', () => {
  it('keeps its connections through idle time', async () => {
    // The pool's idle timer is a setTimeout set when a connection goes back to it; faked here, an idle
    // hour passes at once. A connection closed for idleness would come back as a new backend.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const before = await backendsOf(3);
    expect(before.size).toBe(3);
    vi.advanceTimersByTime(60 * 60 * 1000);
    vi.useRealTimers();
    const after = await backendsOf(3);
    expect(after).toEqual(before);
  });
});
