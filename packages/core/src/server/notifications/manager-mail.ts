import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { newId } from '../db/ids.ts';
import { existingTicketSql } from '../db/scoped.ts';
import { ZStaffMailFacts } from './mail-facts.ts';
import { type NotificationRow, notificationInsertSql } from './notification-events.ts';
import { ADD_JOBS_PARAMS, ADD_JOBS_SQL, MAX_NOTIFICATIONS_PER_JOB } from './notification-outbox.ts';

// A mail to every manager and administrator (a new ticket, a customer's answer while nobody holds the
// ticket, an SLA alert) is one value in the outbox row of its change, not a notification row per manager:
// with thirty managers, those rows were most of the database's work for a new ticket. The jobs worker
// writes it out (`mail/notify-managers`): one notification per manager who is active then, each sent and
// retried on its own like any other. docs/DECISIONS.md, "Mail to the managers".

/** A mail to every active manager and administrator but `except`, as a change records it. */
export const ZManagerMail = z.object({
  organizationId: z.uuid(),
  ticketId: z.uuid(),
  /** Names the event, as a notification's `event_key` does. */
  eventKey: z.string().min(1).max(200),
  /** The one who acted and everyone mailed about the event already. */
  except: z.array(z.uuid()),
  /** The facts of every manager's mail; `recipientName` is filled in per manager. */
  facts: ZStaffMailFacts,
});
export type ManagerMail = z.infer<typeof ZManagerMail>;

/** The payload of a `mail/notify-managers` job: the manager mails one outbox step took together. */
export const ZNotifyManagersPayload = z.object({
  managerMails: z.array(ZManagerMail).min(1).max(MAX_NOTIFICATIONS_PER_JOB),
});

interface ManagerRow {
  id: string;
  name: string;
  email: string;
}

/**
 * Writes `mail` out: one notification per active manager and administrator not in `except`, and their
 * send jobs, in one autocommit statement. A manager mailed about the event already (the same event key
 * and address) is skipped, so running it twice mails nobody twice; so is a ticket deleted since.
 * Returns the number of notifications written.
 */
export async function writeManagerMail(em: EntityManager, mail: ManagerMail): Promise<number> {
  const managers = await em.execute<ManagerRow[]>(
    `select id, name, email from users
      where role in ('MANAGER', 'ADMIN') and is_active and not (id = any(?::uuid[]))
      order by email`,
    [`{${mail.except.join(',')}}`],
  );
  if (managers.length === 0) return 0;
  const rows: NotificationRow[] = managers.map((manager) => ({
    id: newId(),
    organization_id: mail.organizationId,
    ticket_id: mail.ticketId,
    recipient_id: manager.id,
    to_address: manager.email,
    to_name: manager.name.slice(0, 200),
    kind: mail.facts.kind,
    audience: 'staff',
    event_key: mail.eventKey,
    facts: { ...mail.facts, recipientName: manager.name },
  }));
  const [row] = await em.execute<{ added: string; jobs: string }[]>(
    `with claimed as (
       ${notificationInsertSql(`${existingTicketSql('ticket')}, `)}
       returning id
     ),
     manager_mails as (
       select null::jsonb as mail where false
     )${ADD_JOBS_SQL}
     select added, jobs from added`,
    [mail.ticketId, JSON.stringify(rows), ...ADD_JOBS_PARAMS],
  );
  return Number(row?.added ?? 0);
}
