import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { queryRows } from '../db/sql.ts';
import { ZTicketFacts } from './mail-facts.ts';
import type { PersonRow } from './mail-people.ts';
import type { ManagerMail } from './manager-mail.ts';
import {
  mailPeopleOf,
  managerMailOf,
  type NotificationRow,
  notificationInsertSql,
  notificationRows,
} from './notification-events.ts';
import { ADD_JOBS_PARAMS, ADD_JOBS_SQL, relayOutboxJobs } from './notification-outbox.ts';
import { planMail } from './notification-plan.ts';

// Mail planned by the jobs worker. A reply that changes nothing about its ticket (most replies) is one
// statement after the session check (tickets/ticket-writes.ts): it does not read the people its mail
// goes to, nor write their notification rows. It records its event instead, as the `mail_event` of its
// outbox row, with the ticket's facts as the statement saw them; the worker's outbox relay reads the
// people (name, address and whether they are active, as they are then), plans the mail with the same
// `planMail` as every other event, and writes the notifications with their send jobs in one statement
// that also deletes the outbox row: the mail exists exactly once, whichever worker takes the row, and
// a worker that dies halfway leaves the row for the next. docs/DECISIONS.md, "Mail and CSAT".

/** A comment's mail, as its statement records it. */
export const ZOutboxMailEvent = z.object({
  type: z.literal('commented'),
  /** Names the event, as a notification's `event_key` does. */
  key: z.string().min(1).max(200),
  organizationId: z.uuid(),
  /** The ticket as the comment's statement saw it. */
  ticket: ZTicketFacts,
  requesterId: z.uuid(),
  assigneeId: z.uuid().nullable(),
  /** Who commented; null for the system. */
  actorId: z.uuid().nullable(),
  internal: z.boolean(),
  byCustomer: z.boolean(),
  /** The comment, as much of it as a mail quotes. */
  body: z.string(),
});
export type OutboxMailEvent = z.infer<typeof ZOutboxMailEvent>;

/** The part of the event the caller knows before its statement; the statement adds the ticket's part. */
export type OutboxMailEventOfCaller = Omit<
  OutboxMailEvent,
  'organizationId' | 'ticket' | 'requesterId' | 'assigneeId'
>;

/**
 * An insert of the outbox row that records a mail event: the caller's part (a JSON parameter) completed
 * with the facts of the ticket the statement's CTE `ticket` returned (a `CommentedTicketRow` of
 * db/scoped.ts), written only when CTE `dependsOn` (the change's row) has a row. Parameters: the outbox
 * row's id, the caller's part of the event.
 */
export function outboxMailEventInsertSql(ticket: string, dependsOn: string): string {
  return `insert into notification_outbox (id, notification_ids, mail_event)
     select ?::uuid, '{}', ?::jsonb || jsonb_build_object(
              'organizationId', ${ticket}.organization_id,
              'requesterId', ${ticket}.created_by_id,
              'assigneeId', ${ticket}.assigned_to_id,
              'ticket', jsonb_build_object('id', ${ticket}.id, 'number', ${ticket}.number, 'title', ${ticket}.title,
                                           'status', ${ticket}.status, 'priority', ${ticket}.priority))
       from ${dependsOn}, ${ticket}
     returning id`;
}

/** Most outbox events the worker plans per statement. */
const PLAN_BATCH = 200;

/** A planned event's notification row, tagged with its outbox row. */
type TaggedRow = NotificationRow & { outbox_id: string };

/**
 * Plans the mail of the outbox rows that record an event and writes it: per batch, one statement reads the
 * events, one reads their people, and one deletes the rows and writes their notifications, manager mails
 * and send jobs, only for the rows it deleted itself (a row another worker took meanwhile is left to that
 * worker). Returns the number of notifications and manager mails enqueued.
 */
export async function writeOutboxMail(em: EntityManager): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await queryRows<{ id: string; mail_event: unknown }>(
      em,
      `select id, mail_event from notification_outbox
        where mail_event is not null
        order by created_at
        limit ?`,
      [PLAN_BATCH],
    );
    if (rows.length === 0) return total;
    const events = rows.map((row) => {
      const parsed = ZOutboxMailEvent.safeParse(row.mail_event);
      if (!parsed.success) {
        throw new Error(
          `outbox row ${row.id} records a mail event this version cannot read: ${parsed.error.message}`,
        );
      }
      return { outboxId: row.id, event: parsed.data };
    });
    const users = await readPeople(
      em,
      events.map(({ event }) => event),
    );
    const notifications: TaggedRow[] = [];
    const managerMails: { outbox_id: string; mail: ManagerMail }[] = [];
    for (const { outboxId, event } of events) {
      const ticket = { id: event.ticket.id, organization: { id: event.organizationId } };
      const plan = planMail(
        {
          type: 'commented',
          ticket: event.ticket,
          internal: event.internal,
          byCustomer: event.byCustomer,
          body: event.body,
        },
        mailPeopleOf(users, {
          ticketId: event.ticket.id,
          requesterId: event.requesterId,
          assigneeId: event.assigneeId,
          actorId: event.actorId,
        }),
      );
      for (const row of notificationRows(ticket, event.key, plan.mails)) {
        notifications.push({ ...row, outbox_id: outboxId });
      }
      const managerMail = managerMailOf(ticket, event.key, plan.managers);
      if (managerMail) managerMails.push({ outbox_id: outboxId, mail: managerMail });
    }
    const [written] = await queryRows<{ added: string }>(
      em,
      `with taken as (
         delete from notification_outbox
          where id = any(?::uuid[]) and mail_event is not null
         returning id
       ),
       claimed as (
         ${notificationInsertSql(
           '',
           'r.facts',
           `(select coalesce(jsonb_agg(e.value), '[]') from jsonb_array_elements(?::jsonb) as e
              where (e.value->>'outbox_id')::uuid in (select id from taken))`,
         )}
         returning id
       ),
       manager_mails as (
         select m.mail from jsonb_to_recordset(?::jsonb) as m(outbox_id uuid, mail jsonb)
          where m.outbox_id in (select id from taken)
       )${ADD_JOBS_SQL}
       select added, jobs from added`,
      [
        `{${events.map(({ outboxId }) => outboxId).join(',')}}`,
        JSON.stringify(notifications),
        JSON.stringify(managerMails),
        ...ADD_JOBS_PARAMS,
      ],
    );
    total += Number(written?.added ?? 0);
    if (rows.length < PLAN_BATCH) return total;
  }
}

/** The users the events may mail or name, by id, in one statement. */
async function readPeople(em: EntityManager, events: OutboxMailEvent[]): Promise<Map<string, PersonRow>> {
  const ids = new Set<string>();
  for (const event of events) {
    ids.add(event.requesterId);
    if (event.assigneeId) ids.add(event.assigneeId);
    if (event.actorId) ids.add(event.actorId);
  }
  const people = await queryRows<PersonRow>(
    em,
    'select id, name, email, is_active from users where id = any(?::uuid[])',
    [`{${[...ids].join(',')}}`],
  );
  return new Map(people.map((person) => [person.id, person]));
}

/**
 * The jobs worker's outbox step (every `OUTBOX_RELAY_INTERVAL_MS`, apps/jobs): plans the mail of the rows
 * that record an event (`writeOutboxMail`), then adds the jobs of the rows that name their notifications
 * and manager mail (notification-outbox.ts `relayOutboxJobs`). Safe beside other workers doing the same.
 * Returns the number of notifications and manager mails enqueued.
 */
export async function relayNotificationOutbox(em: EntityManager): Promise<number> {
  const planned = await writeOutboxMail(em);
  return planned + (await relayOutboxJobs(em));
}
