import type { EntityManager } from '@mikro-orm/postgresql';
import { buildSlaTimeline, type SlaTimeline } from '../../domain/sla/sla-timeline.ts';
import { AuditLog } from '../audit/audit-log.entity.ts';
import type { TicketFields } from '../tickets/ticket.mapper.ts';
import { slaPolicyOf } from './sla.service.ts';

/** The actions that open, close or mark stretches of a ticket's clocks. */
const TIMELINE_ACTIONS = [
  'ticket.accepted',
  'ticket.assigned',
  'ticket.status_changed',
  'ticket.priority_changed',
  'sla.warned',
  'sla.breached',
];

/** A ticket's SLA timeline from its audit rows; null before acceptance or without a policy. */
export async function slaTimelineOf(
  em: EntityManager,
  ticket: TicketFields,
  now = new Date(),
): Promise<SlaTimeline | null> {
  const policy = await slaPolicyOf(em, ticket);
  if (!policy) return null;
  const rows = await em.find(
    AuditLog,
    { entityType: 'ticket', entityId: ticket.id, action: { $in: TIMELINE_ACTIONS } },
    { orderBy: { createdAt: 'asc' }, fields: ['action', 'createdAt', 'newValue'] },
  );
  return buildSlaTimeline(
    rows.map((row) => ({ action: row.action, at: row.createdAt, newValue: row.newValue })),
    policy.calendar,
    now,
  );
}
