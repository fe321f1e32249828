import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { ticketExistsSql } from '../db/scoped.ts';
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
import { type MailEvent, planMail } from './notification-plan.ts';

// Mail planned by the jobs worker. The two writes most requests make, a new ticket and a reply that
// changes nothing about its ticket, are one statement each after the session check
// (tickets/ticket-writes.ts): they do not read the people their mail goes to, nor write notification
// rows. They record their event instead, as the `mail_event` of their outbox row, with the ticket's facts
// as the statement saw them; the worker's outbox relay reads the people (name, address and whether they
// are active, as they are then), plans the mail with the same `planMail` as every other event, and
// writes the notifications with their send jobs in one statement that also deletes the outbox row: the
// mail exists exactly once, whichever worker takes the row, and a worker that dies halfway leaves the
// row for the next. docs/DECISIONS.md, "Mail and CSAT".

const eventFields = {
  /** Names the event, as a notification's `event_key` does. */
  key: z.string().min(1).max(200),
  organizationId: z.uuid(),
  /** The ticket as the change's statement saw it. */
  ticket: ZTicketFacts,
  requesterId: z.uuid(),
  /** Who acted; null for the system. */
  actorId: z.uuid().nullable(),
};

/** A change's mail event, as its statement records it. */
export const ZOutboxMailEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('created'),
    ...eventFields,
    organizationName: z.string(),
    /** The description, as much of it as a mail quotes. */
    description: z.string(),
  }),
  z.object({
    type: z.literal('commented'),
    ...eventFields,
    assigneeId: z.uuid().nullable(),
    internal: z.boolean(),
    byCustomer: z.boolean(),
    /** The comment, as much of it as a mail quotes. */
    body: z.string(),
  }),
]);
export type OutboxMailEvent = z.infer<typeof ZOutboxMailEvent>;

/** A new ticket's event as its caller builds it: the statement writes the number and organization name. */
export type CreatedMailEvent = Extract<OutboxMailEvent, { type: 'created' }>;

/** A comment's event as its caller knows it; the statement adds the ticket's part. */
export type CommentMailEventOfCaller = Omit<
  Extract<OutboxMailEvent, { type: 'commented' }>,
  'organizationId' | 'ticket' | 'requesterId' | 'assigneeId'
>;

/**
 * An insert of the outbox row that records a mail event, the expression `event` over the relations of
 * `from` (a change's CTEs: the row is written only when they have a row). Parameters: the outbox row's
 * id, then those of `event`.
 */
export function outboxMailEventInsertSql(from: string, event: string): string {
  return `insert into notification_outbox (id, notification_ids, mail_event)
     select ?::uuid, '{}', ${event}
       from ${from}
     returning id`;
}

/**
 * A comment's event: the caller's part (a JSON parameter) completed with the facts of the ticket in the
 * row `ticket` (a `CommentedTicketRow` of db/scoped.ts). Parameter: the caller's part.
 */
export function commentEventSql(ticket: string): string {
  return `?::jsonb || jsonb_build_object(
              'organizationId', ${ticket}.organization_id,
              'requesterId', ${ticket}.created_by_id,
              'assigneeId', ${ticket}.assigned_to_id,
              'ticket', jsonb_build_object('id', ${ticket}.id, 'number', ${ticket}.number, 'title', ${ticket}.title,
                                           'status', ${ticket}.status, 'priority', ${ticket}.priority))`;
}

/**
 * A new ticket's event: the caller's `CreatedMailEvent` (a JSON parameter) with the number the insert in
 * the row `ticket` took (db/scoped.ts `insertTicketSql`) and its organization's name. Parameter: the event.
 */
export function createdEventSql(ticket: string): string {
  return `jsonb_set(jsonb_set(?::jsonb, '{ticket,number}', to_jsonb(${ticket}.number)),
                    '{organizationName}',
                    coalesce((select to_jsonb(org.name) from organizations org where org.id = ${ticket}.organization_id),
                             '""'::jsonb))`;
}

/** Most outbox events the worker plans per statement. */
const PLAN_BATCH = 200;

/** A planned event's notification row, tagged with its outbox row. */
type TaggedRow = NotificationRow & { outbox_id: string };

/**
 * Plans the mail of the outbox rows that record an event and writes it: per batch, one statement reads the
 * events, one reads their people, and one deletes the rows and writes their notifications, manager mails
 * and send jobs, only for the rows it deleted itself (a row another worker took meanwhile is left to that
 * worker); a ticket gone since gets no mail. A row whose event this version cannot read (one written by a newer version, during an
 * upgrade) is left in the outbox for a worker that can. Returns the number of notifications and manager
 * mails enqueued, and the rows left unread.
 */
export async function writeOutboxMail(
  em: EntityManager,
): Promise<{ enqueued: number; unreadable: { id: string; problem: string }[] }> {
  let enqueued = 0;
  const unreadable: { id: string; problem: string }[] = [];
  for (;;) {
    const rows = await queryRows<{ id: string; mail_event: unknown }>(
      em,
      `select id, mail_event from notification_outbox
        where mail_event is not null and not (id = any(?::uuid[]))
        order by created_at
        limit ?`,
      [`{${unreadable.map((row) => row.id).join(',')}}`, PLAN_BATCH],
    );
    if (rows.length === 0) return { enqueued, unreadable };
    const events: { outboxId: string; event: OutboxMailEvent }[] = [];
    for (const row of rows) {
      const parsed = ZOutboxMailEvent.safeParse(row.mail_event);
      if (parsed.success) events.push({ outboxId: row.id, event: parsed.data });
      else unreadable.push({ id: row.id, problem: parsed.error.message });
    }
    if (events.length === 0) continue;
    const users = await readPeople(
      em,
      events.map(({ event }) => event),
    );
    const notifications: TaggedRow[] = [];
    const managerMails: { outbox_id: string; mail: ManagerMail }[] = [];
    for (const { outboxId, event } of events) {
      const ticket = { id: event.ticket.id, organization: { id: event.organizationId } };
      const plan = planMail(
        mailEventOf(event, users),
        mailPeopleOf(users, {
          ticketId: event.ticket.id,
          requesterId: event.requesterId,
          assigneeId: event.type === 'commented' ? event.assigneeId : null,
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
              where (e.value->>'outbox_id')::uuid in (select id from taken)
                and ${ticketExistsSql("(e.value->>'ticket_id')::uuid")})`,
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
    enqueued += Number(written?.added ?? 0);
    if (rows.length < PLAN_BATCH) return { enqueued, unreadable };
  }
}

/** The event in the terms of the mail plan. */
function mailEventOf(event: OutboxMailEvent, users: ReadonlyMap<string, PersonRow>): MailEvent {
  switch (event.type) {
    case 'created':
      return {
        type: 'created',
        ticket: event.ticket,
        requesterName: users.get(event.requesterId)?.name ?? '',
        organizationName: event.organizationName,
        description: event.description,
      };
    case 'commented':
      return {
        type: 'commented',
        ticket: event.ticket,
        internal: event.internal,
        byCustomer: event.byCustomer,
        body: event.body,
      };
  }
}

/** The users the events may mail or name, by id, in one statement. */
async function readPeople(em: EntityManager, events: OutboxMailEvent[]): Promise<Map<string, PersonRow>> {
  const ids = new Set<string>();
  for (const event of events) {
    ids.add(event.requesterId);
    if (event.type === 'commented' && event.assigneeId) ids.add(event.assigneeId);
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
  const relayed = await relayOutboxJobs(em);
  const [first] = planned.unreadable;
  if (first) {
    // Everything else went out; the worker reports the round as failed until a version that reads
    // these rows takes them.
    throw new Error(
      `${planned.unreadable.length} outbox row(s) record a mail event this version cannot read (first: ${first.id}: ${first.problem})`,
    );
  }
  return planned.enqueued + relayed;
}
