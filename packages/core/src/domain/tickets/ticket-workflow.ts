import { isStaffRole, type UserRole } from '../auth/roles.ts';
import { DomainError } from '../errors.ts';
import { TICKET_STATUSES, type TicketStatus } from './ticket-enums.ts';

// The ticket workflow of SPEC §4 and §5 as pure functions: services ask `decideTransition` and then carry
// out the answer (status, effects, audit) in one transaction. Time is passed in, never read.
//
// Checks run in this order, so a caller without the right never learns the ticket's state:
//   1. the actor's role may never take the action               → FORBIDDEN
//   2. the actor has no hold on this ticket (an agent working another agent's ticket, a customer user
//      acting on someone else's ticket, an agent assigning somebody else)        → FORBIDDEN
//   3. the status does not allow it (CLOSED and CANCELLED are read-only)         → INVALID_TRANSITION
//   4. a required field is missing or blank                                       → VALIDATION
//
// Decisions where SPEC is silent:
// - Staff may also resume (WAITING_CUSTOMER → IN_PROGRESS) and reopen (RESOLVED → IN_PROGRESS) through the
//   status endpoint; staff reopening has no time window (only the nightly close ends it).
// - `cancel` belongs to customers: the requester, or their organization's CUSTOMER_ADMIN (who manages the
//   organization's tickets; the scoped query has already proved the ticket is theirs). Staff reject instead.
// - An agent holds a ticket when it is assigned to them. Agents may self-assign only an ACCEPTED,
//   unassigned ticket; they cannot hand a ticket on or reassign it (managers do).
// - Resolving straight from ASSIGNED is allowed (a quick fix needs no separate start).
// - `close` is only from RESOLVED, so every closed ticket carries a resolution and root cause.
// - The nightly auto-close acts as SYSTEM_ACTOR (role 'SYSTEM', not a fake ADMIN) and may only close, and only
//   once the reopen window has passed.
// - The reopen window is REOPEN_WINDOW_DAYS × 24 h of elapsed time, inclusive: a reply exactly 7 days after
//   resolution still reopens. A RESOLVED ticket without `resolvedAt` counts as outside the window.
// - A customer reply on NEW, ACCEPTED, ASSIGNED or IN_PROGRESS is allowed and changes nothing.
// - Nobody comments on CLOSED or CANCELLED tickets (both read-only). The system never comments.

/** Days after resolution during which a customer reply reopens the ticket; then the nightly job closes it. */
export const REOPEN_WINDOW_DAYS = 7;
const REOPEN_WINDOW_MS = REOPEN_WINDOW_DAYS * 24 * 60 * 60 * 1000;

/** Every workflow action, each a row of SPEC §5 (creation is not one: a ticket starts NEW). */
export const TICKET_ACTIONS = [
  /** MANAGER/ADMIN takes a NEW ticket in: ACCEPTED, the SLA starts. */
  'accept',
  /** MANAGER/ADMIN turns a NEW ticket down with a reason the customer sees: CANCELLED. */
  'reject',
  /** The requester (or their CUSTOMER_ADMIN) withdraws a NEW ticket: CANCELLED. */
  'cancel',
  /** MANAGER/ADMIN sets any assignee, an AGENT takes an unassigned ticket: ACCEPTED → ASSIGNED, else unchanged. */
  'assign',
  /** The assignee (or MANAGER/ADMIN) begins work: ASSIGNED → IN_PROGRESS. */
  'start',
  /** Staff working the ticket ask the customer: → WAITING_CUSTOMER, the SLA pauses. */
  'request_info',
  /** Staff working the ticket continue without an answer: WAITING_CUSTOMER → IN_PROGRESS, the SLA resumes. */
  'resume',
  /** A customer's public comment: resumes a waiting ticket, reopens one resolved within the window. */
  'customer_reply',
  /** Staff working the ticket record the fix: → RESOLVED with resolution and root cause. */
  'resolve',
  /** Staff working the ticket take a resolved ticket back: RESOLVED → IN_PROGRESS. */
  'reopen',
  /** MANAGER/ADMIN, or the nightly job after the reopen window: RESOLVED → CLOSED, read-only from then on. */
  'close',
] as const;

/** One of TICKET_ACTIONS. */
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** A user role, or the system that runs scheduled jobs. */
export type WorkflowRole = UserRole | 'SYSTEM';

/** Who acts. */
export interface WorkflowActor {
  /** The user's id ('system' for SYSTEM_ACTOR). */
  userId: string;
  /** The user's role. */
  role: WorkflowRole;
}

/** The actor of scheduled jobs (the nightly auto-close): may only close, never anything else. */
export const SYSTEM_ACTOR: Readonly<WorkflowActor> = Object.freeze({ userId: 'system', role: 'SYSTEM' });

/** The workflow actor of a signed-in user or job scope: the id 'system' always means SYSTEM_ACTOR, so a job
 * scope that carries an ADMIN role for other services never gets an admin's workflow rights. */
export function toWorkflowActor(userId: string, role: UserRole): WorkflowActor {
  return userId === SYSTEM_ACTOR.userId ? SYSTEM_ACTOR : { userId, role };
}

/** The facts about a ticket the rules read. */
export interface WorkflowTicket {
  /** Current status. */
  status: TicketStatus;
  /** The requester. */
  createdById: string;
  /** The agent holding the ticket, if any. */
  assignedToId: string | null;
  /** When it was last resolved (null unless RESOLVED or CLOSED). */
  resolvedAt: Date | null;
}

/** Extra input some actions need; blank strings count as missing. */
export interface WorkflowFields {
  /** Required to resolve. */
  resolution?: string;
  /** Required to resolve. */
  rootCause?: string;
  /** Required to reject, optional to cancel. */
  reason?: string;
  /** Required to assign; an AGENT may only name themselves. */
  assigneeId?: string;
}

/** What the service does besides setting the status, in the listed order. */
export type WorkflowEffect =
  /** Set `acceptedById` and `acceptedAt`. */
  | { type: 'record_acceptance'; acceptedById: string; at: Date }
  /** Start both SLA clocks at `at`: compute first-response and resolution due times from the policy. */
  | { type: 'start_sla'; at: Date }
  /** Pause both SLA clocks at `at` (the ticket waits for the customer). */
  | { type: 'pause_sla'; at: Date }
  /** Run the clocks again at `at` (sla-clock.ts resumeClock), after a pause or a resolution: due times move
   * later by the business time the clocks stood still. */
  | { type: 'resume_sla'; at: Date }
  /** Set `resolvedAt` and stop the resolution clock at `at`: sla-clock.ts meetResolution (which ends a pause),
   * then pauseClock, so that a reopen's resume_sla does not count the time spent resolved. */
  | { type: 'stop_resolution_clock'; at: Date }
  /** Set `assignedToId`; the service checks that the user is active staff. */
  | { type: 'set_assignee'; assigneeId: string }
  /** Keep the (trimmed) reason of a rejection or cancellation, shown to the customer. */
  | { type: 'record_reason'; reason: string }
  /** Store the (trimmed) resolution and root cause. */
  | { type: 'record_resolution'; resolution: string; rootCause: string }
  /** Clear `resolution`, `rootCause` and `resolvedAt` (the audit log keeps the old values). */
  | { type: 'clear_resolution' }
  /** Ask the requester to rate the service (a CSAT mail job). */
  | { type: 'request_csat' }
  /** Set `closedAt`. */
  | { type: 'record_closure'; at: Date };

/** The action may go ahead: set the status to `to` (possibly unchanged) and apply `effects`. */
export interface TransitionAllowed {
  ok: true;
  to: TicketStatus;
  effects: WorkflowEffect[];
}

/** The action is refused; `fields` names the missing fields of a VALIDATION refusal. */
export interface TransitionRefused {
  ok: false;
  code: 'FORBIDDEN' | 'INVALID_TRANSITION' | 'VALIDATION';
  message: string;
  fields?: string[];
}

/** The answer of decideTransition. */
export type TransitionDecision = TransitionAllowed | TransitionRefused;

/** The input of decideTransition. */
export interface TransitionInput {
  actor: WorkflowActor;
  ticket: WorkflowTicket;
  action: TicketAction;
  now: Date;
  fields?: WorkflowFields;
}

/** The answer of canComment. */
export type CommentDecision =
  | { ok: true }
  | { ok: false; code: 'FORBIDDEN' | 'INVALID_TRANSITION'; message: string };

const MANAGER_ROLES: readonly WorkflowRole[] = ['MANAGER', 'ADMIN'];
const CUSTOMER_ROLES: readonly WorkflowRole[] = ['CUSTOMER_USER', 'CUSTOMER_ADMIN'];
const WORKER_ROLES: readonly WorkflowRole[] = ['AGENT', 'MANAGER', 'ADMIN'];

/** The roles that may ever take each action (check 1). */
const ACTION_ROLES: Record<TicketAction, readonly WorkflowRole[]> = {
  accept: MANAGER_ROLES,
  reject: MANAGER_ROLES,
  cancel: CUSTOMER_ROLES,
  assign: WORKER_ROLES,
  start: WORKER_ROLES,
  request_info: WORKER_ROLES,
  resume: WORKER_ROLES,
  customer_reply: CUSTOMER_ROLES,
  resolve: WORKER_ROLES,
  reopen: WORKER_ROLES,
  close: [...MANAGER_ROLES, 'SYSTEM'],
};

/** The statuses each action leaves from, for actions with one fixed source set (check 3). */
const ACTION_SOURCES: Record<Exclude<TicketAction, 'customer_reply'>, readonly TicketStatus[]> = {
  accept: ['NEW'],
  reject: ['NEW'],
  cancel: ['NEW'],
  assign: ['ACCEPTED', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_CUSTOMER'],
  start: ['ASSIGNED'],
  request_info: ['ASSIGNED', 'IN_PROGRESS'],
  resume: ['WAITING_CUSTOMER'],
  resolve: ['ASSIGNED', 'IN_PROGRESS', 'WAITING_CUSTOMER'],
  reopen: ['RESOLVED'],
  close: ['RESOLVED'],
};

/** How refusals name each action. */
const ACTION_VERBS: Record<TicketAction, string> = {
  accept: 'accept',
  reject: 'reject',
  cancel: 'cancel',
  assign: 'assign',
  start: 'start',
  request_info: 'request information on',
  resume: 'resume',
  customer_reply: 'reply as customer to',
  resolve: 'resolve',
  reopen: 'reopen',
  close: 'close',
};

/** Whether a customer reply at `now` still reopens a ticket resolved at `resolvedAt` (inclusive). */
export function isWithinReopenWindow(resolvedAt: Date | null, now: Date): boolean {
  return resolvedAt !== null && now.getTime() - resolvedAt.getTime() <= REOPEN_WINDOW_MS;
}

/** Decides whether `actor` may take `action` on `ticket` at `now`, and what follows if so. */
export function decideTransition(input: TransitionInput): TransitionDecision {
  const { actor, ticket, action, now } = input;
  const fields = input.fields ?? {};

  if (!ACTION_ROLES[action].includes(actor.role)) {
    return refuse('FORBIDDEN', `${roleName(actor.role)} may not ${ACTION_VERBS[action]} tickets`);
  }
  const notHeld = holdRefusal(actor, ticket, action, fields);
  if (notHeld) return notHeld;
  const readOnly = readOnlyRefusal(ticket.status);
  if (readOnly) return readOnly;

  if (action === 'customer_reply') return decideCustomerReply(ticket, now);

  if (!ACTION_SOURCES[action].includes(ticket.status)) {
    const hint = action === 'assign' && ticket.status === 'NEW' ? ': it must be accepted first' : '';
    return refuse('INVALID_TRANSITION', `cannot ${ACTION_VERBS[action]} a ${ticket.status} ticket${hint}`);
  }

  switch (action) {
    case 'accept':
      return allow('ACCEPTED', [
        { type: 'record_acceptance', acceptedById: actor.userId, at: now },
        { type: 'start_sla', at: now },
      ]);
    case 'reject': {
      const reason = filled(fields.reason);
      if (!reason) return missing(['reason'], 'a rejection needs a reason the customer can read');
      return allow('CANCELLED', [{ type: 'record_reason', reason }]);
    }
    case 'cancel': {
      const reason = filled(fields.reason);
      return allow('CANCELLED', reason ? [{ type: 'record_reason', reason }] : []);
    }
    case 'assign': {
      // Agents only take what nobody holds; handing a ticket on is a manager's call.
      if (actor.role === 'AGENT' && ticket.status !== 'ACCEPTED') {
        return refuse('INVALID_TRANSITION', `an agent may only self-assign an ACCEPTED, unassigned ticket`);
      }
      const assigneeId = filled(fields.assigneeId);
      if (!assigneeId) return missing(['assigneeId'], 'assigneeId is required');
      const to = ticket.status === 'ACCEPTED' ? 'ASSIGNED' : ticket.status;
      return allow(to, [{ type: 'set_assignee', assigneeId }]);
    }
    case 'start':
      return allow('IN_PROGRESS', []);
    case 'request_info':
      return allow('WAITING_CUSTOMER', [{ type: 'pause_sla', at: now }]);
    case 'resume':
      return allow('IN_PROGRESS', [{ type: 'resume_sla', at: now }]);
    case 'resolve': {
      const resolution = filled(fields.resolution);
      const rootCause = filled(fields.rootCause);
      const absent = [...(resolution ? [] : ['resolution']), ...(rootCause ? [] : ['rootCause'])];
      if (!resolution || !rootCause) {
        return missing(
          absent,
          `${absent.join(' and ')} ${absent.length > 1 ? 'are' : 'is'} required to resolve`,
        );
      }
      return allow('RESOLVED', [
        { type: 'record_resolution', resolution, rootCause },
        { type: 'stop_resolution_clock', at: now },
        { type: 'request_csat' },
      ]);
    }
    case 'reopen':
      return allow('IN_PROGRESS', reopenEffects(now));
    case 'close':
      if (actor.role === 'SYSTEM' && isWithinReopenWindow(ticket.resolvedAt, now)) {
        return refuse(
          'INVALID_TRANSITION',
          `the ticket may still be reopened by the customer for ${REOPEN_WINDOW_DAYS} days after resolution`,
        );
      }
      return allow('CLOSED', [{ type: 'record_closure', at: now }]);
  }
}

/** The action the staff status endpoint means by asking to move a ticket from `from` to `to`, if any. */
export function actionForStatusChange(from: TicketStatus, to: TicketStatus): TicketAction | undefined {
  if (from === to) return undefined;
  switch (to) {
    case 'ACCEPTED':
      return 'accept';
    case 'CANCELLED':
      return 'reject';
    case 'IN_PROGRESS':
      if (from === 'WAITING_CUSTOMER') return 'resume';
      return from === 'RESOLVED' || from === 'CLOSED' ? 'reopen' : 'start';
    case 'WAITING_CUSTOMER':
      return 'request_info';
    case 'RESOLVED':
      return 'resolve';
    case 'CLOSED':
      return 'close';
    // NEW is never re-entered; ASSIGNED needs an assignee, which only the assign endpoint carries.
    case 'NEW':
    case 'ASSIGNED':
      return undefined;
  }
}

/** decideTransition for the staff status endpoint `{status, resolution?, rootCause?}`. */
export function decideStatusChange(input: {
  actor: WorkflowActor;
  ticket: WorkflowTicket;
  to: TicketStatus;
  now: Date;
  fields?: WorkflowFields;
}): TransitionDecision {
  const { actor, ticket, to } = input;
  const action = actionForStatusChange(ticket.status, to);
  if (action) {
    return decideTransition({
      actor,
      ticket,
      action,
      now: input.now,
      ...(input.fields ? { fields: input.fields } : {}),
    });
  }
  // No action means this change is no transition at all; still answer 403 before 409.
  if (!isWorker(actor.role)) {
    return refuse('FORBIDDEN', `${roleName(actor.role)} may not change a ticket's status`);
  }
  if (actor.role === 'AGENT' && ticket.assignedToId !== actor.userId) {
    return refuse('FORBIDDEN', 'agents may only work tickets assigned to them');
  }
  return (
    readOnlyRefusal(ticket.status) ??
    refuse('INVALID_TRANSITION', `cannot move a ${ticket.status} ticket to ${to}`)
  );
}

/** Whether `actor` may comment on `ticket` at `now`, publicly or as an internal note. */
export function canComment(
  actor: WorkflowActor,
  ticket: WorkflowTicket,
  internal: boolean,
  now: Date,
): CommentDecision {
  if (actor.role === 'CUSTOMER_USER' || actor.role === 'CUSTOMER_ADMIN') {
    if (internal) return { ok: false, code: 'FORBIDDEN', message: 'customers cannot write internal notes' };
    // A customer's public comment is a customer reply: one rule decides both.
    const decision = decideTransition({ actor, ticket, action: 'customer_reply', now });
    if (decision.ok) return { ok: true };
    return {
      ok: false,
      code: decision.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'INVALID_TRANSITION',
      message: decision.message,
    };
  }
  if (!isWorker(actor.role)) {
    return { ok: false, code: 'FORBIDDEN', message: `${roleName(actor.role)} may not comment` };
  }
  if (actor.role === 'AGENT' && ticket.assignedToId !== actor.userId) {
    return { ok: false, code: 'FORBIDDEN', message: 'agents may only comment on tickets assigned to them' };
  }
  const readOnly = readOnlyRefusal(ticket.status);
  return readOnly ? { ok: false, code: 'INVALID_TRANSITION', message: readOnly.message } : { ok: true };
}

/** Whether a comment by `role` meets first response (SPEC §5): a public staff comment. The service also
 * requires the SLA to have started (the ticket was accepted) and no earlier first response. */
export function meetsFirstResponse(role: WorkflowRole, internal: boolean): boolean {
  return isWorker(role) && !internal;
}

/** What the comment rules read of a ticket: the workflow's facts and whether first response is still due. */
export interface CommentTicket extends WorkflowTicket {
  /** The SLA has started (the ticket was accepted) and nobody has answered publicly yet. */
  firstResponseDue: boolean;
}

/** The answer of decideComment: refused as canComment refuses, or allowed and whether it changes the ticket. */
export type CommentOutcome = Exclude<CommentDecision, { ok: true }> | { ok: true; movesTicket: boolean };

/**
 * Whether `actor` may comment on `ticket` at `now`, and if so whether the comment changes the ticket
 * itself: a customer's reply that moves its status, or a public staff reply that meets first response.
 */
export function decideComment(
  actor: WorkflowActor,
  ticket: CommentTicket,
  internal: boolean,
  now: Date,
): CommentOutcome {
  const allowed = canComment(actor, ticket, internal, now);
  if (!allowed.ok) return allowed;
  if (CUSTOMER_ROLES.includes(actor.role)) {
    const decision = decideTransition({ actor, ticket, action: 'customer_reply', now });
    return { ok: true, movesTicket: decision.ok && decision.to !== ticket.status };
  }
  return { ok: true, movesTicket: meetsFirstResponse(actor.role, internal) && ticket.firstResponseDue };
}

/**
 * The facts of a ticket as seen by one caller that decideComment reads, time aside: its status, who holds
 * it, whether the caller filed it and whether first response is due.
 */
export interface CommentRuleFacts {
  status: TicketStatus;
  holder: 'caller' | 'other' | 'nobody';
  filedByCaller: boolean;
  firstResponseDue: boolean;
}

/**
 * The facts as one text key, `STATUS:holder:filer:due|met`. A statement builds the same key from the
 * ticket's row (db/scoped.ts), so that it can ask whether a comment is allowed and quiet without the
 * ticket being read first.
 */
export function commentRuleKey(facts: CommentRuleFacts): string {
  return `${facts.status}:${facts.holder}:${facts.filedByCaller ? 'caller' : 'other'}:${
    facts.firstResponseDue ? 'due' : 'met'
  }`;
}

const quietKeys = new Map<string, readonly string[]>();

/**
 * decideComment as data: the keys (commentRuleKey) of every ticket on which a comment by `role` is allowed
 * and changes nothing, whenever the ticket was resolved. The rules' domain is finite (status × holder ×
 * filer × first response; the reopen window is the one fact that involves time, and the keys hold only
 * where the answer is the same inside and outside it), so this is decideComment itself, evaluated once
 * per role and kind of comment.
 */
export function quietCommentKeys(role: WorkflowRole, internal: boolean): readonly string[] {
  const cacheKey = `${role}:${internal}`;
  const known = quietKeys.get(cacheKey);
  if (known) return known;
  const actor: WorkflowActor = { userId: 'caller', role };
  const now = new Date(Date.UTC(2026, 0, 1));
  const resolvedTimes = [null, now, new Date(now.getTime() - REOPEN_WINDOW_MS - 1)];
  const keys: string[] = [];
  for (const status of TICKET_STATUSES) {
    for (const holder of ['caller', 'other', 'nobody'] as const) {
      for (const filedByCaller of [true, false]) {
        for (const firstResponseDue of [true, false]) {
          const facts: CommentRuleFacts = { status, holder, filedByCaller, firstResponseDue };
          const quiet = resolvedTimes.every((resolvedAt) => {
            const outcome = decideComment(
              actor,
              {
                status,
                createdById: filedByCaller ? 'caller' : 'other',
                assignedToId: holder === 'nobody' ? null : holder,
                resolvedAt,
                firstResponseDue,
              },
              internal,
              now,
            );
            return outcome.ok && !outcome.movesTicket;
          });
          if (quiet) keys.push(commentRuleKey(facts));
        }
      }
    }
  }
  quietKeys.set(cacheKey, keys);
  return keys;
}

/** The actions `actor` may take on `ticket` at `now`, given valid fields, in TICKET_ACTIONS order (for the UIs). */
export function allowedActions(actor: WorkflowActor, ticket: WorkflowTicket, now: Date): TicketAction[] {
  const fields: WorkflowFields = {
    resolution: 'resolution',
    rootCause: 'root cause',
    reason: 'reason',
    assigneeId: actor.userId,
  };
  return TICKET_ACTIONS.filter((action) => decideTransition({ actor, ticket, action, now, fields }).ok);
}

/** The allowed decision, or a DomainError carrying the refusal's code (and `fields` in its details). */
export function requireTransition(decision: TransitionDecision): TransitionAllowed {
  if (decision.ok) return decision;
  throw new DomainError(
    decision.code,
    decision.message,
    decision.fields ? { fields: decision.fields } : undefined,
  );
}

// Reopening runs the resolution clock again from where resolving stopped it.
function reopenEffects(now: Date): WorkflowEffect[] {
  return [{ type: 'clear_resolution' }, { type: 'resume_sla', at: now }];
}

function decideCustomerReply(ticket: WorkflowTicket, now: Date): TransitionDecision {
  switch (ticket.status) {
    case 'WAITING_CUSTOMER':
      return allow('IN_PROGRESS', [{ type: 'resume_sla', at: now }]);
    case 'RESOLVED':
      if (isWithinReopenWindow(ticket.resolvedAt, now)) return allow('IN_PROGRESS', reopenEffects(now));
      return refuse(
        'INVALID_TRANSITION',
        `the ticket was resolved more than ${REOPEN_WINDOW_DAYS} days ago and is about to close; please open a new ticket`,
      );
    case 'NEW':
    case 'ACCEPTED':
    case 'ASSIGNED':
    case 'IN_PROGRESS':
      return allow(ticket.status, []);
    case 'CLOSED':
    case 'CANCELLED':
      return readOnlyRefusal(ticket.status) ?? refuse('INVALID_TRANSITION', 'the ticket is read-only');
  }
}

/** Check 2: the actor's hold on this particular ticket. */
function holdRefusal(
  actor: WorkflowActor,
  ticket: WorkflowTicket,
  action: TicketAction,
  fields: WorkflowFields,
): TransitionRefused | undefined {
  if (actor.role === 'CUSTOMER_USER' && ticket.createdById !== actor.userId) {
    return refuse('FORBIDDEN', 'only the requester or their organization admin may do this');
  }
  if (actor.role !== 'AGENT') return undefined;
  if (action === 'assign') {
    const assigneeId = filled(fields.assigneeId);
    if (assigneeId !== undefined && assigneeId !== actor.userId) {
      return refuse('FORBIDDEN', 'agents may only assign tickets to themselves');
    }
    if (ticket.assignedToId === null) return undefined;
  }
  return ticket.assignedToId === actor.userId
    ? undefined
    : refuse('FORBIDDEN', 'agents may only work tickets assigned to them');
}

function readOnlyRefusal(status: TicketStatus): TransitionRefused | undefined {
  if (status === 'CLOSED') return refuse('INVALID_TRANSITION', 'closed tickets are read-only');
  if (status === 'CANCELLED') return refuse('INVALID_TRANSITION', 'cancelled tickets are read-only');
  return undefined;
}

function isWorker(role: WorkflowRole): boolean {
  return role !== 'SYSTEM' && isStaffRole(role);
}

function roleName(role: WorkflowRole): string {
  return role === 'SYSTEM' ? 'the system' : role;
}

function filled(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function allow(to: TicketStatus, effects: WorkflowEffect[]): TransitionAllowed {
  return { ok: true, to, effects };
}

function refuse(code: TransitionRefused['code'], message: string): TransitionRefused {
  return { ok: false, code, message };
}

function missing(fields: string[], message: string): TransitionRefused {
  return { ok: false, code: 'VALIDATION', message, fields };
}
