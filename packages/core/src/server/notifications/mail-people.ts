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
 * system), whether to include the managers. It reads `users` as `u` and `p`: the expressions must not
 * name an outer `u` or `p`.
 */
export function peopleJsonSql(requesterColumn: string, assigneeColumn: string): string {
  // Two index reads (the named users by id, the managers by their partial index) rather than one scan
  // of every user with an `or`.
  return `(select coalesce(json_agg(json_build_object(
             'id', p.id, 'name', p.name, 'email', p.email, 'is_active', p.is_active,
             'manager', (p.role in ('MANAGER', 'ADMIN') and p.is_active)) order by p.email), '[]')
      from (select u.id, u.name, u.email, u.is_active, u.role from users u
             where u.id in (${requesterColumn}, ${assigneeColumn}, ?::uuid)
            union
            select u.id, u.name, u.email, u.is_active, u.role from users u
             where ?::boolean and u.role in ('MANAGER', 'ADMIN') and u.is_active) p)`;
}

export function personOfRow(row: PersonRow): MailPerson {
  return { id: row.id, name: row.name, email: row.email, isActive: row.is_active };
}
