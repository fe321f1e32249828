import { checkDatabase, type MikroORM } from '@atum-desk/core/server';
import { Hono } from 'hono';

/** A jobs process that has not beaten for this long is reported as stale. */
const HEARTBEAT_STALE_MS = 3 * 60_000;

/**
 * `GET /api/health`: `{status, db, version}` (SPEC §11), plus `jobs`: whether a jobs process has
 * recently proven it consumes the queue. 503 when the database does not answer.
 */
export function healthRoutes(orm: MikroORM, version: string) {
  return new Hono().get('/health', async (c) => {
    const dbOk = await checkDatabase(orm);
    const jobs = dbOk ? await jobsState(orm) : 'unknown';
    c.header('Cache-Control', 'no-store');
    return c.json(
      { status: dbOk ? 'ok' : 'degraded', db: dbOk ? 'ok' : 'error', jobs, version },
      dbOk ? 200 : 503,
    );
  });
}

async function jobsState(orm: MikroORM): Promise<'ok' | 'stale' | 'none'> {
  const rows = await orm.em
    .getConnection()
    .execute<{ beat_at: Date | null }[]>('select max(beat_at) as beat_at from worker_heartbeats');
  const last = rows[0]?.beat_at;
  if (!last) return 'none';
  return Date.now() - new Date(last).getTime() < HEARTBEAT_STALE_MS ? 'ok' : 'stale';
}
