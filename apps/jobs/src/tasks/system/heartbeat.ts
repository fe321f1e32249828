import { hostname } from 'node:os';
import type { MikroORM } from '@atum-desk/core/server';
import type { Task } from 'graphile-worker';
import { z } from 'zod';

/** The payload names the worker that enqueued it; every worker beats for itself. */
export const ZHeartbeatPayload = z.object({ workerId: z.string().min(1).max(100) }).partial();

/**
 * Records that a jobs process is alive and consuming the queue. `system/heartbeat` runs from cron every
 * minute and once at start-up; the health endpoint reads the newest beat.
 */
export function heartbeatTask(orm: MikroORM, workerId: string, startedAt: Date): Task {
  return async (rawPayload) => {
    ZHeartbeatPayload.parse(rawPayload ?? {});
    await orm.em.getConnection().execute(
      `insert into worker_heartbeats (worker_id, hostname, pid, started_at, beat_at, beats)
       values (?, ?, ?, ?, now(), 1)
       on conflict (worker_id) do update
         set hostname = excluded.hostname, pid = excluded.pid, started_at = excluded.started_at,
             beat_at = now(), beats = worker_heartbeats.beats + 1`,
      [workerId, hostname(), process.pid, startedAt],
    );
  };
}
