import type { MailPerson } from './notification-plan.ts';

// The people a ticket event may mail by name (its requester, its assignee, the one who acted), as rows the
// mail handler turns into `MailPeople`; mail to the managers is written out by the jobs worker
// (manager-mail.ts). A change in a transaction reads them with `peopleJsonSql` (notification-events.ts);
// the jobs worker reads those of the events it plans (outbox-mail.ts).

/** A user who may be mailed about a ticket. */
export interface PersonRow {
  id: string;
  name: string;
  email: string;
  is_active: boolean;
}

/**
 * A subquery: a JSON array of the `PersonRow`s of the users whose ids the two column expressions name,
 * and of the actor. Parameter: the actor's id (null for the system). It reads `users` as `p`: the
 * expressions must not name an outer `p`.
 */
export function peopleJsonSql(requesterColumn: string, assigneeColumn: string): string {
  return `(select coalesce(json_agg(json_build_object(
             'id', p.id, 'name', p.name, 'email', p.email, 'is_active', p.is_active) order by p.email), '[]')
      from users p
     where p.id in (${requesterColumn}, ${assigneeColumn}, ?::uuid))`;
}

export function personOfRow(row: PersonRow): MailPerson {
  return { id: row.id, name: row.name, email: row.email, isActive: row.is_active };
}
