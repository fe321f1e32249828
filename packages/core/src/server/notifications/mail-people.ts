import type { MailPerson } from './notification-plan.ts';

// The people a ticket event may mail by name (its requester, its assignee, the one who acted), as rows the
// mail handler turns into `MailPeople`; mail to the managers is written out by the jobs worker
// (manager-mail.ts). A change that reads its ticket anyway reads them in the same statement
// (`peopleJsonSql`); others ask for them on their own (notification-events.ts).

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

/** The signed-in user as a `PersonRow`, as this request's session check read them. */
export function personRowOf(user: { id: string; name: string; email: string; isActive: boolean }): PersonRow {
  return { id: user.id, name: user.name, email: user.email, is_active: user.isActive };
}
