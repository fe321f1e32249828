import { z } from 'zod';

// Mail notifications (SPEC §10) as administrators read them: one row per recipient per event, which is
// also the outbox when no SMTP server is configured.

/** What a notification tells its recipient; each kind has one template. */
export const NOTIFICATION_KINDS = [
  /** Staff: a new ticket waits for acceptance (to every active manager and administrator). */
  'ticket_created',
  /** Customer: the confirmation that their ticket arrived. */
  'ticket_received',
  /** Customer: a manager accepted the ticket. */
  'ticket_accepted',
  /** Customer: a manager turned the ticket down, with the reason. */
  'ticket_rejected',
  /** Customer: the ticket moved to another status. */
  'ticket_status_changed',
  /** Customer: the ticket is resolved; carries the satisfaction survey link. */
  'ticket_resolved',
  /** Staff: the ticket was assigned to the recipient. */
  'ticket_assigned',
  /** Customer: staff answered publicly. */
  'public_reply',
  /** Staff: the customer answered. */
  'customer_reply',
  /** Staff: a colleague added an internal note on the recipient's ticket. */
  'internal_note',
  /** Staff: an SLA clock is close to its due time. */
  'sla_warning',
  /** Staff: an SLA clock passed its due time. */
  'sla_breach',
] as const;
export const ZNotificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof ZNotificationKind>;

/**
 * `pending`: waiting for (another) attempt; `sent`: the SMTP server accepted it; `outbox`: no SMTP
 * server is configured, the mail was written here and to the log; `failed`: every attempt failed.
 */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'outbox', 'failed'] as const;
export const ZNotificationStatus = z.enum(NOTIFICATION_STATUSES);
export type NotificationStatus = z.infer<typeof ZNotificationStatus>;

/** Who a mail is written for: customers never see internal content. */
export const NOTIFICATION_AUDIENCES = ['customer', 'staff'] as const;
export type NotificationAudience = (typeof NOTIFICATION_AUDIENCES)[number];

/** One notification as administrators see it. Subject and text are null until the mail is rendered. */
export const ZNotification = z.object({
  id: z.uuid(),
  organizationId: z.uuid().nullable(),
  ticketId: z.uuid().nullable(),
  recipientId: z.uuid().nullable(),
  to: z.string(),
  kind: ZNotificationKind,
  status: ZNotificationStatus,
  attempts: z.number().int(),
  messageId: z.string().nullable(),
  subject: z.string().nullable(),
  text: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.date(),
  sentAt: z.date().nullable(),
});
export type NotificationInfo = z.infer<typeof ZNotification>;

export const ZNotificationListInput = z.object({
  status: ZNotificationStatus.optional(),
  ticketId: z.uuid().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type NotificationListInput = z.infer<typeof ZNotificationListInput>;

export const ZNotificationPage = z.object({
  items: z.array(ZNotification),
  nextCursor: z.string().nullable(),
});
