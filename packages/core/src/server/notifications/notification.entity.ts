import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import {
  NOTIFICATION_AUDIENCES,
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
} from '../../domain/notifications/notification.schema.ts';
import { createdAtColumn, idColumn } from '../db/columns.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { User } from '../users/user.entity.ts';

/**
 * One mail to one recipient about one event (SPEC §10), written in the transaction of its cause; the
 * job that sends it is added after the commit (notification-outbox.ts). The row is the idempotency record: the job skips a row already
 * sent, and `message_id` is fixed before the first attempt, so a retry after a crash can at worst
 * repeat that one mail under the same Message-ID. Without SMTP it is the outbox.
 */
export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  properties: {
    id: idColumn(),
    organization: () => p.manyToOne(Organization).nullable().deleteRule('cascade'),
    ticket: () => p.manyToOne(Ticket).nullable().deleteRule('cascade').index(),
    recipient: () => p.manyToOne(User).nullable().deleteRule('set null'),
    /** The address at the time of the event. */
    toAddress: p.string().length(320),
    toName: p.string().length(200),
    kind: p.enum(NOTIFICATION_KINDS),
    audience: p.enum(NOTIFICATION_AUDIENCES),
    /** Names the event: with the address, unique, so an event told twice still mails each person once. */
    eventKey: p.string().length(200),
    /** What was true at the event, for the template; customer rows never hold internal content. */
    facts: p.json<unknown>(),
    /** `<id@host-of-PUBLIC_URL>`, set when the mail is rendered, before the first attempt. */
    messageId: p.string().length(255).nullable(),
    subject: p.string().length(500).nullable(),
    textBody: p.text().nullable(),
    htmlBody: p.text().nullable(),
    status: p.enum(NOTIFICATION_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    createdAt: createdAtColumn(),
    renderedAt: p.datetime().nullable(),
    sentAt: p.datetime().nullable(),
  },
  indexes: [
    { name: 'notifications_organization_created_index', properties: ['organization', 'createdAt', 'id'] },
    { name: 'notifications_created_index', properties: ['createdAt', 'id'] },
  ],
  uniques: [{ name: 'notifications_event_recipient_unique', properties: ['eventKey', 'toAddress'] }],
});
export type Notification = InferEntity<typeof Notification>;
