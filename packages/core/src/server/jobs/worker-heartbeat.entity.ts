import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** The last sign of life of each jobs process; written by the `system/heartbeat` task. */
export const WorkerHeartbeat = defineEntity({
  name: 'WorkerHeartbeat',
  tableName: 'worker_heartbeats',
  properties: {
    workerId: p.string().length(100).primary(),
    hostname: p.string().length(255),
    pid: p.integer(),
    startedAt: p.datetime(),
    beatAt: p.datetime(),
    beats: p.bigint('number').default(0),
  },
});
export type WorkerHeartbeat = InferEntity<typeof WorkerHeartbeat>;
