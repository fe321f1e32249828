import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  NotificationInfo,
  NotificationListInput,
} from '../../domain/notifications/notification.schema.ts';
import type { Config } from '../config.ts';
import { signCsatToken } from '../csat/csat-token.ts';
import { decodeCursor, olderThan, toPage } from '../db/keyset.ts';
import type { Logger } from '../logging/logger.ts';
import { installationSecret } from '../settings/installation-secret.ts';
import { type MailFacts, ZCustomerMailFacts, ZStaffMailFacts } from './mail-facts.ts';
import { renderMail } from './mail-templates.ts';
import { Notification } from './notification.entity.ts';

// Sending one notification, idempotently: check, then act (STYLE, the path of a job). The row decides:
// a row already sent (or written to the outbox) is skipped; the Message-ID and the rendered mail are
// fixed before the first attempt, so every retry sends the same bytes under the same Message-ID. A
// crash between the SMTP server's acceptance and the row's update repeats that one mail, which
// clients collapse by its Message-ID; no order of failures loses one.

/** A mail as the transport sends it. */
export interface OutgoingMail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** `<id@host>`, the same on every attempt. */
  messageId: string;
  /** The ticket's thread root, `<ticket-<id>@host>`. */
  inReplyTo: string | null;
  references: string[];
}

/** Hands a mail to the SMTP server; resolves once the server accepted it, throws otherwise. */
export type SendMail = (mail: OutgoingMail) => Promise<void>;

export interface DeliverOptions {
  config: Pick<Config, 'publicUrl' | 'secret'>;
  /** The SMTP transport; null when SMTP_URL is unset: the mail stays in the outbox and goes to the log. */
  send: SendMail | null;
  logger: Logger;
  /** This is the job's last attempt: a failure marks the notification failed instead of pending. */
  lastAttempt: boolean;
}

export type DeliveryOutcome = 'sent' | 'outbox' | 'already_done' | 'missing';

/** The host part of our Message-IDs: PUBLIC_URL's, so ids are ours and stable across processes. */
export function messageIdHost(publicUrl: string): string {
  return new URL(publicUrl).hostname.replace(/^\[|\]$/g, '') || 'localhost';
}

/**
 * The Message-ID every mail of a ticket refers to. It is never sent itself: a synthetic thread root, so
 * that all mails of a ticket form one thread in every client (they all carry it in References and
 * In-Reply-To), and a later inbound reply can be matched to its ticket by it.
 */
export function ticketThreadId(ticketId: string, host: string): string {
  return `<ticket-${ticketId}@${host}>`;
}

function parseFacts(row: Notification): MailFacts {
  return row.audience === 'customer' ? ZCustomerMailFacts.parse(row.facts) : ZStaffMailFacts.parse(row.facts);
}

/** Renders the row once and stores the result with its Message-ID; a row rendered already keeps its own. */
async function ensureRendered(em: EntityManager, row: Notification, options: DeliverOptions): Promise<void> {
  if (row.messageId && row.subject && row.textBody && row.htmlBody) return;
  const facts = parseFacts(row);
  const host = messageIdHost(options.config.publicUrl);
  const surveyUrl =
    facts.kind === 'ticket_resolved' && facts.survey
      ? `${options.config.publicUrl}/portal/csat/${signCsatToken(
          await installationSecret(em, options.config),
          facts.ticket.id,
        )}`
      : undefined;
  const mail = renderMail(facts, { publicUrl: options.config.publicUrl, surveyUrl });
  const messageId = `<${row.id}@${host}>`;
  const renderedAt = new Date();
  // Conditional, so that of two workers racing on a released job the first rendering wins.
  const changed = await em.nativeUpdate(
    Notification,
    { id: row.id, messageId: null },
    { messageId, subject: mail.subject, textBody: mail.text, htmlBody: mail.html, renderedAt },
  );
  await em.refresh(row);
  if (changed === 0 && !row.messageId) throw new Error(`notification ${row.id} could not be rendered`);
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 2000);
}

/**
 * Sends notification `id` unless it was sent already; without a transport it goes to the outbox and
 * the log. A failed send records the error and rethrows, so the job is retried with back-off.
 */
export async function deliverNotification(
  em: EntityManager,
  id: string,
  options: DeliverOptions,
): Promise<DeliveryOutcome> {
  const row = await em.findOne(Notification, id);
  if (!row) return 'missing';
  if (row.status === 'sent' || row.status === 'outbox') return 'already_done';
  await ensureRendered(em, row, options);
  const messageId = row.messageId ?? '';
  const log = { notificationId: row.id, kind: row.kind, to: row.toAddress, messageId };

  if (!options.send) {
    await em.nativeUpdate(Notification, { id: row.id }, { status: 'outbox', lastError: null });
    options.logger.info(
      { ...log, subject: row.subject, text: row.textBody },
      'mail written to the outbox (SMTP_URL is unset)',
    );
    return 'outbox';
  }

  const thread = row.ticket ? ticketThreadId(row.ticket.id, messageIdHost(options.config.publicUrl)) : null;
  try {
    await options.send({
      to: { name: row.toName, address: row.toAddress },
      subject: row.subject ?? '',
      text: row.textBody ?? '',
      html: row.htmlBody ?? '',
      messageId,
      inReplyTo: thread,
      references: thread ? [thread] : [],
    });
  } catch (error) {
    await em.nativeUpdate(
      Notification,
      { id: row.id },
      {
        attempts: row.attempts + 1,
        lastError: errorText(error),
        status: options.lastAttempt ? 'failed' : 'pending',
      },
    );
    options.logger.warn(
      { ...log, attempt: row.attempts + 1, err: errorText(error), gaveUp: options.lastAttempt },
      options.lastAttempt ? 'mail failed for good' : 'mail not sent; will retry',
    );
    throw error;
  }
  await em.nativeUpdate(
    Notification,
    { id: row.id },
    { status: 'sent', sentAt: new Date(), attempts: row.attempts + 1, lastError: null },
  );
  options.logger.info(log, 'mail sent');
  return 'sent';
}

/** A notification as administrators see it. */
export function toNotificationInfo(row: Notification): NotificationInfo {
  return {
    id: row.id,
    organizationId: row.organization?.id ?? null,
    ticketId: row.ticket?.id ?? null,
    recipientId: row.recipient?.id ?? null,
    to: row.toAddress,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    messageId: row.messageId ?? null,
    subject: row.subject ?? null,
    text: row.textBody ?? null,
    lastError: row.lastError ?? null,
    createdAt: row.createdAt,
    sentAt: row.sentAt ?? null,
  };
}

/** Notifications of every organization, newest first, for administrators (the outbox among them). */
export async function listNotifications(
  em: EntityManager,
  input: NotificationListInput,
): Promise<{ items: Notification[]; nextCursor: string | null }> {
  const where: FilterQuery<Notification>[] = [];
  if (input.status) where.push({ status: input.status });
  if (input.ticketId) where.push({ ticket: input.ticketId });
  const after = decodeCursor(input.cursor);
  if (after) where.push(olderThan(after));
  const rows = await em.find(Notification, where.length ? { $and: where } : {}, {
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    limit: input.limit + 1,
  });
  return toPage(rows, input.limit);
}
