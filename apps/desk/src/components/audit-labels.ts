/** Audit actions in words (SPEC §7 names them `capability.verb_past`). */
const ACTIONS: Record<string, string> = {
  'ticket.created': 'Ticket created',
  'ticket.accepted': 'Accepted',
  'ticket.rejected': 'Rejected',
  'ticket.assigned': 'Assigned',
  'ticket.status_changed': 'Status changed',
  'ticket.priority_changed': 'Priority changed',
  'comment.created': 'Comment added',
  'attachment.uploaded': 'File uploaded',
  'attachment.downloaded': 'File downloaded',
  'auth.login_succeeded': 'Signed in',
  'auth.login_failed': 'Sign-in failed',
  'auth.logout': 'Signed out',
  'user.created': 'User created',
  'user.updated': 'User changed',
  'user.role_changed': 'Role changed',
  'user.deactivated': 'User deactivated',
  'user.reactivated': 'User reactivated',
  'user.password_changed': 'Password changed',
  'csat.submitted': 'Rating received',
  'organization.created': 'Organization created',
  'organization.updated': 'Organization changed',
  'service.created': 'Service created',
  'service.updated': 'Service changed',
  'sla.warned': 'SLA warning',
  'sla.breached': 'SLA breached',
  'sla_policy.created': 'SLA policy created',
  'sla_policy.updated': 'SLA policy changed',
  'sla_policy.deleted': 'SLA policy deleted',
};

/** "Status changed" for `ticket.status_changed`; unknown actions are spelled out from their name. */
export function auditActionLabel(action: string): string {
  const known = ACTIONS[action];
  if (known) return known;
  const verb = action.split('.').slice(1).join(' ').replaceAll('_', ' ');
  const noun = action.split('.')[0]?.replaceAll('_', ' ') ?? '';
  const text = `${noun} ${verb}`.trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The audit actions offered in the audit log's filter. */
export const KNOWN_AUDIT_ACTIONS = Object.keys(ACTIONS);

/** A short, readable rendering of an audit row's old or new value. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== null && item !== undefined && item !== '')
    .map(([key, item]) => `${key}: ${typeof item === 'object' ? JSON.stringify(item) : String(item)}`)
    .join(', ');
}

/** Field names whose values are ids or hashes: noise to a reader, the audit log page still shows them. */
const NOISE = new Set([
  'ticketId',
  'requesterId',
  'assignedToId',
  'sha256',
  'organizationId',
  'id',
  'action',
]);

function field(value: unknown, name: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function when(value: unknown): string | undefined {
  const raw = text(value);
  if (!raw) return undefined;
  const date = new Date(raw);
  return Number.isNaN(date.getTime())
    ? raw
    : new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** The words for a ticket status in the audit trail. */
const STATUS_WORDS: Record<string, string> = {
  NEW: 'New',
  ACCEPTED: 'Accepted',
  ASSIGNED: 'Assigned',
  IN_PROGRESS: 'In progress',
  WAITING_CUSTOMER: 'Waiting for customer',
  RESOLVED: 'Resolved',
  CLOSED: 'Closed',
  CANCELLED: 'Cancelled',
};

function statusWord(value: unknown): string | undefined {
  const raw = text(value);
  return raw ? (STATUS_WORDS[raw] ?? raw) : undefined;
}

/**
 * One line saying what an audit row changed, for people: "Waiting for customer → In progress",
 * "to Arun Agent", "internal note", "bounce.png (66 B)". Ids and hashes are left to the audit log page.
 */
export function summarizeAudit(
  row: { action: string; oldValue: unknown; newValue: unknown },
  personName: (id: string | null) => string,
): string {
  const next = row.newValue;
  const before = row.oldValue;
  switch (row.action) {
    case 'ticket.created':
      return [text(field(next, 'title')) && `“${text(field(next, 'title'))}”`, text(field(next, 'priority'))]
        .filter(Boolean)
        .join(' · ');
    case 'ticket.accepted': {
      const firstResponse = when(field(next, 'firstResponseDueAt'));
      const resolution = when(field(next, 'resolutionDueAt'));
      return [
        firstResponse && `first response due ${firstResponse}`,
        resolution && `resolution due ${resolution}`,
      ]
        .filter(Boolean)
        .join(', ');
    }
    case 'ticket.assigned': {
      const to = text(field(next, 'assignedToId'));
      return to ? `to ${personName(to)}` : '';
    }
    case 'ticket.status_changed':
    case 'ticket.rejected': {
      const from = statusWord(field(before, 'status'));
      const to = statusWord(field(next, 'status'));
      const change = from && to ? `${from} → ${to}` : (to ?? '');
      const extra = [
        text(field(next, 'resolution')) && `resolution: ${text(field(next, 'resolution'))}`,
        text(field(next, 'rootCause')) && `root cause: ${text(field(next, 'rootCause'))}`,
        text(field(next, 'reason')) && `reason: ${text(field(next, 'reason'))}`,
      ].filter(Boolean);
      return [change, ...extra].filter(Boolean).join('; ');
    }
    case 'ticket.priority_changed': {
      const from = text(field(before, 'priority'));
      const to = text(field(next, 'priority'));
      return from && to ? `${from} → ${to}` : (to ?? '');
    }
    case 'comment.created':
      return field(next, 'internal') === true ? 'internal note' : 'public reply';
    case 'attachment.uploaded':
    case 'attachment.downloaded': {
      const name = text(field(next, 'fileName'));
      const internal = field(next, 'internal') === true ? ' (internal)' : '';
      return name ? `${name}${internal}` : '';
    }
    default:
      return describeValue(
        next && typeof next === 'object'
          ? Object.fromEntries(
              Object.entries(next as Record<string, unknown>).filter(([key]) => !NOISE.has(key)),
            )
          : next,
      );
  }
}
