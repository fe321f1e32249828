import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { SLA_ALERTS, SLA_CLOCKS } from '../../domain/sla/sla-timers.ts';
import { Ticket } from '../tickets/ticket.entity.ts';

/**
 * The timer one alert of one clock of a ticket should have (sla-timer-outbox.ts): written in the
 * transaction of the change that moved it, turned into its graphile-worker job right after the commit.
 * `runAt` null means the timer is to be removed; such a row is deleted once its job is. Scheduling state
 * keyed by ticket, like graphile-worker's own jobs: nothing lists it per organization.
 */
export const SlaTimer = defineEntity({
  name: 'SlaTimer',
  tableName: 'sla_timers',
  properties: {
    ticket: () => p.manyToOne(Ticket).primary().deleteRule('cascade'),
    clock: p.enum(SLA_CLOCKS).primary(),
    kind: p.enum(SLA_ALERTS).primary(),
    /** When the alert is due; null: the timer is no longer needed. */
    runAt: p.datetime().nullable(),
    /** When the job was set (or removed) as the row says; null until then. */
    enqueuedAt: p.datetime().nullable(),
    updatedAt: p.datetime(),
  },
  indexes: [
    {
      // Small by design: only rows still waiting for their job, which the sweep looks for.
      name: 'sla_timers_unenqueued_index',
      expression:
        'create index "sla_timers_unenqueued_index" on "sla_timers" ("updated_at") where "enqueued_at" is null',
    },
  ],
});
export type SlaTimer = InferEntity<typeof SlaTimer>;
