import type { MailPerson } from './notification-plan.ts';

// The people a ticket event may mail (its requester, its assignee, the one who acted, the managers), as
// rows the mail handler turns into `MailPeople`. A change that reads its ticket anyway reads them in the
// same statement (`peopleJsonSql`); others ask for them on their own (notification-events.ts).

/** A user who may be mailed about a ticket; `manager` marks an active MANAGER or ADMIN. */
export interface PersonRow {
  id: string;
  name: string;
  email: string;
  is_active: boolean;
  manager: boolean;
}

/**
 * A subquery: a JSON array of the `PersonRow`s of the users whose ids the two column expressions name,
 * of the actor, and of every active manager when asked. Parameters: the actor's id (null for the
 * system), whether to include the managers. It reads `users` as `u`: the expressions must not name an
 * outer `u`.
 */
export function peopleJsonSql(requesterColumn: string, assigneeColumn: string): string {
  return `(select coalesce(json_agg(json_build_object(
             'id', u.id, 'name', u.name, 'email', u.email, 'is_active', u.is_active,
             'manager', (u.role in ('MANAGER', 'ADMIN') and u.is_active)) order by u.email), '[]')
      from users u
     where u.id in (${requesterColumn}, ${assigneeColumn}, ?::uuid)
        or (?::boolean and u.role in ('MANAGER', 'ADMIN') and u.is_active))`;
}

export function personOfRow(row: PersonRow): MailPerson {
  return { id: row.id, name: row.name, email: row.email, isActive: row.is_active };
}
