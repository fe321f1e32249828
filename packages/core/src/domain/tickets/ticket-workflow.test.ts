import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { TICKET_STATUSES, type TicketStatus } from './ticket-enums.ts';
import {
  actionForStatusChange,
  allowedActions,
  type CommentRuleFacts,
  canComment,
  commentRuleKey,
  decideComment,
  decideStatusChange,
  decideTransition,
  meetsFirstResponse,
  quietCommentKeys,
  REOPEN_WINDOW_DAYS,
  requireTransition,
  SYSTEM_ACTOR,
  TICKET_ACTIONS,
  type TicketAction,
  type TransitionDecision,
  toWorkflowActor,
  type WorkflowActor,
  type WorkflowFields,
  type WorkflowTicket,
} from './ticket-workflow.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-03-10T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

// The cast of every table. Agent 1 holds every ticket that has been assigned; agent 2 holds none.
const PERSONAS = {
  'the requester': { userId: 'customer-1', role: 'CUSTOMER_USER' },
  'another customer user': { userId: 'customer-2', role: 'CUSTOMER_USER' },
  'the customer admin': { userId: 'customer-admin', role: 'CUSTOMER_ADMIN' },
  'agent 1': { userId: 'agent-1', role: 'AGENT' },
  'agent 2': { userId: 'agent-2', role: 'AGENT' },
  'a manager': { userId: 'manager-1', role: 'MANAGER' },
  'an admin': { userId: 'admin-1', role: 'ADMIN' },
  'the system': SYSTEM_ACTOR,
} as const satisfies Record<string, WorkflowActor>;
type Persona = keyof typeof PERSONAS;

function ticket(
  status: TicketStatus,
  assignedToId: string | null,
  resolvedAt: Date | null = null,
): WorkflowTicket {
  return { status, createdById: 'customer-1', assignedToId, resolvedAt };
}

// One ticket per status, plus a second RESOLVED one whose reopen window has passed.
const SITUATIONS = {
  NEW: ticket('NEW', null),
  ACCEPTED: ticket('ACCEPTED', null),
  ASSIGNED: ticket('ASSIGNED', 'agent-1'),
  IN_PROGRESS: ticket('IN_PROGRESS', 'agent-1'),
  WAITING_CUSTOMER: ticket('WAITING_CUSTOMER', 'agent-1'),
  'RESOLVED yesterday': ticket('RESOLVED', 'agent-1', ago(DAY)),
  'RESOLVED 8 days ago': ticket('RESOLVED', 'agent-1', ago(8 * DAY)),
  CLOSED: ticket('CLOSED', 'agent-1', ago(20 * DAY)),
  CANCELLED: ticket('CANCELLED', null),
} satisfies Record<string, WorkflowTicket>;
type Situation = keyof typeof SITUATIONS;

// How a persona stands to a ticket. "holder": the agent the ticket is assigned to; "free agent": any agent
// while the ticket is assigned to nobody.
type Standing = 'requester' | 'customer admin' | 'holder' | 'free agent' | 'manager' | 'admin' | 'system';

function standings(persona: Persona, situation: Situation): Standing[] {
  const actor: WorkflowActor = PERSONAS[persona];
  const { createdById, assignedToId } = SITUATIONS[situation];
  switch (actor.role) {
    case 'CUSTOMER_USER':
      return actor.userId === createdById ? ['requester'] : [];
    case 'CUSTOMER_ADMIN':
      return ['customer admin'];
    case 'AGENT':
      if (assignedToId === null) return ['free agent'];
      return assignedToId === actor.userId ? ['holder'] : [];
    case 'MANAGER':
      return ['manager'];
    case 'ADMIN':
      return ['admin'];
    case 'SYSTEM':
      return ['system'];
  }
}

interface Rule {
  action: TicketAction;
  /** Who may attempt it; everyone else gets FORBIDDEN. */
  who: readonly Standing[];
  /** From which situation it leads to which status; every other situation gets INVALID_TRANSITION. */
  moves: Partial<Record<Situation, TicketStatus>>;
}

const WORKING: readonly Standing[] = ['holder', 'manager', 'admin'];
const MANAGING: readonly Standing[] = ['manager', 'admin'];
const CUSTOMER: readonly Standing[] = ['requester', 'customer admin'];

// SPEC §5, written out. Read a row as: "who may <action> a ticket, and where it goes from each situation".
const RULES: readonly Rule[] = [
  { action: 'accept', who: MANAGING, moves: { NEW: 'ACCEPTED' } },
  { action: 'reject', who: MANAGING, moves: { NEW: 'CANCELLED' } },
  { action: 'cancel', who: CUSTOMER, moves: { NEW: 'CANCELLED' } },
  {
    action: 'assign',
    who: MANAGING,
    moves: {
      ACCEPTED: 'ASSIGNED',
      ASSIGNED: 'ASSIGNED',
      IN_PROGRESS: 'IN_PROGRESS',
      WAITING_CUSTOMER: 'WAITING_CUSTOMER',
    },
  },
  // Agents assign only themselves, and only a ticket nobody holds yet.
  { action: 'assign', who: ['free agent', 'holder'], moves: { ACCEPTED: 'ASSIGNED' } },
  { action: 'start', who: WORKING, moves: { ASSIGNED: 'IN_PROGRESS' } },
  {
    action: 'request_info',
    who: WORKING,
    moves: { ASSIGNED: 'WAITING_CUSTOMER', IN_PROGRESS: 'WAITING_CUSTOMER' },
  },
  { action: 'resume', who: WORKING, moves: { WAITING_CUSTOMER: 'IN_PROGRESS' } },
  {
    action: 'customer_reply',
    who: CUSTOMER,
    moves: {
      NEW: 'NEW',
      ACCEPTED: 'ACCEPTED',
      ASSIGNED: 'ASSIGNED',
      IN_PROGRESS: 'IN_PROGRESS',
      WAITING_CUSTOMER: 'IN_PROGRESS',
      'RESOLVED yesterday': 'IN_PROGRESS',
    },
  },
  {
    action: 'resolve',
    who: WORKING,
    moves: { ASSIGNED: 'RESOLVED', IN_PROGRESS: 'RESOLVED', WAITING_CUSTOMER: 'RESOLVED' },
  },
  {
    action: 'reopen',
    who: WORKING,
    moves: { 'RESOLVED yesterday': 'IN_PROGRESS', 'RESOLVED 8 days ago': 'IN_PROGRESS' },
  },
  {
    action: 'close',
    who: MANAGING,
    moves: { 'RESOLVED yesterday': 'CLOSED', 'RESOLVED 8 days ago': 'CLOSED' },
  },
  // The nightly job closes only once the customer can no longer reopen.
  { action: 'close', who: ['system'], moves: { 'RESOLVED 8 days ago': 'CLOSED' } },
];

type Outcome = TicketStatus | 'FORBIDDEN' | 'INVALID_TRANSITION';

function expectedOutcome(persona: Persona, situation: Situation, action: TicketAction): Outcome {
  const mine = standings(persona, situation);
  const rules = RULES.filter((rule) => rule.action === action && rule.who.some((w) => mine.includes(w)));
  if (rules.length === 0) return 'FORBIDDEN';
  return rules.map((rule) => rule.moves[situation]).find((to) => to !== undefined) ?? 'INVALID_TRANSITION';
}

function validFields(actor: WorkflowActor): WorkflowFields {
  return {
    resolution: 'Replaced the failing disk',
    rootCause: 'Worn-out disk',
    reason: 'Duplicate of #41',
    assigneeId: actor.role === 'AGENT' ? actor.userId : 'agent-2',
  };
}

function outcome(decision: TransitionDecision): Outcome | 'VALIDATION' {
  return decision.ok ? decision.to : decision.code;
}

/** it.each for tables with a `name` per row, without vitest's 40-character cut of interpolated values. */
function eachCase<T extends { name: string }>(table: readonly T[], test: (row: T) => void): void {
  for (const row of table) it(row.name, () => test(row));
}

const article = (situation: Situation) => (/^[AEIOU]/.test(situation) ? 'an' : 'a');

describe('decideTransition, the full truth table', () => {
  const cases = (Object.keys(SITUATIONS) as Situation[]).flatMap((situation) =>
    TICKET_ACTIONS.flatMap((action) =>
      (Object.keys(PERSONAS) as Persona[]).map((persona) => {
        const expected = expectedOutcome(persona, situation, action);
        const verdict =
          expected === 'FORBIDDEN' || expected === 'INVALID_TRANSITION'
            ? `may not ${action} it (${expected})`
            : `may ${action} it, which becomes ${expected}`;
        return {
          name: `on ${article(situation)} ${situation} ticket, ${persona} ${verdict}`,
          persona,
          situation,
          action,
          expected,
        };
      }),
    ),
  );

  it('covers every situation, action and persona', () => {
    expect(cases).toHaveLength(9 * TICKET_ACTIONS.length * 8);
  });

  eachCase(cases, ({ persona, situation, action, expected }) => {
    const actor = PERSONAS[persona];
    const decision = decideTransition({
      actor,
      ticket: SITUATIONS[situation],
      action,
      now: NOW,
      fields: validFields(actor),
    });
    expect(outcome(decision)).toBe(expected);
  });
});

describe('decideTransition, the effects', () => {
  const manager = PERSONAS['a manager'];
  const requester = PERSONAS['the requester'];
  interface EffectCase {
    name: string;
    actor: WorkflowActor;
    situation: Situation;
    action: TicketAction;
    fields?: WorkflowFields;
    expected: TransitionDecision;
  }
  eachCase<EffectCase>(
    [
      {
        name: 'accepting records who accepted and starts the SLA now',
        actor: manager,
        situation: 'NEW',
        action: 'accept',
        expected: {
          ok: true,
          to: 'ACCEPTED',
          effects: [
            { type: 'record_acceptance', acceptedById: 'manager-1', at: NOW },
            { type: 'start_sla', at: NOW },
          ],
        },
      },
      {
        name: 'rejecting keeps the trimmed reason for the customer',
        actor: manager,
        situation: 'NEW',
        action: 'reject',
        fields: { reason: '  Not a support request  ' },
        expected: {
          ok: true,
          to: 'CANCELLED',
          effects: [{ type: 'record_reason', reason: 'Not a support request' }],
        },
      },
      {
        name: 'cancelling without a reason records none',
        actor: requester,
        situation: 'NEW',
        action: 'cancel',
        expected: { ok: true, to: 'CANCELLED', effects: [] },
      },
      {
        name: 'cancelling with a reason records it',
        actor: requester,
        situation: 'NEW',
        action: 'cancel',
        fields: { reason: 'Fixed it myself' },
        expected: {
          ok: true,
          to: 'CANCELLED',
          effects: [{ type: 'record_reason', reason: 'Fixed it myself' }],
        },
      },
      {
        name: 'assigning an accepted ticket sets the assignee',
        actor: manager,
        situation: 'ACCEPTED',
        action: 'assign',
        fields: { assigneeId: 'agent-2' },
        expected: { ok: true, to: 'ASSIGNED', effects: [{ type: 'set_assignee', assigneeId: 'agent-2' }] },
      },
      {
        name: 'reassigning a waiting ticket keeps it waiting',
        actor: manager,
        situation: 'WAITING_CUSTOMER',
        action: 'assign',
        fields: { assigneeId: 'agent-2' },
        expected: {
          ok: true,
          to: 'WAITING_CUSTOMER',
          effects: [{ type: 'set_assignee', assigneeId: 'agent-2' }],
        },
      },
      {
        name: 'starting work has no side effects',
        actor: PERSONAS['agent 1'],
        situation: 'ASSIGNED',
        action: 'start',
        expected: { ok: true, to: 'IN_PROGRESS', effects: [] },
      },
      {
        name: 'requesting information pauses the SLA',
        actor: PERSONAS['agent 1'],
        situation: 'IN_PROGRESS',
        action: 'request_info',
        expected: { ok: true, to: 'WAITING_CUSTOMER', effects: [{ type: 'pause_sla', at: NOW }] },
      },
      {
        name: 'staff resuming a waiting ticket resumes the SLA',
        actor: PERSONAS['agent 1'],
        situation: 'WAITING_CUSTOMER',
        action: 'resume',
        expected: { ok: true, to: 'IN_PROGRESS', effects: [{ type: 'resume_sla', at: NOW }] },
      },
      {
        name: 'a customer reply to a waiting ticket resumes the SLA',
        actor: requester,
        situation: 'WAITING_CUSTOMER',
        action: 'customer_reply',
        expected: { ok: true, to: 'IN_PROGRESS', effects: [{ type: 'resume_sla', at: NOW }] },
      },
      {
        name: 'a customer reply to a ticket in progress changes nothing',
        actor: PERSONAS['the customer admin'],
        situation: 'IN_PROGRESS',
        action: 'customer_reply',
        expected: { ok: true, to: 'IN_PROGRESS', effects: [] },
      },
      {
        name: 'a customer reply to a recently resolved ticket clears the resolution and runs the clock again',
        actor: requester,
        situation: 'RESOLVED yesterday',
        action: 'customer_reply',
        expected: {
          ok: true,
          to: 'IN_PROGRESS',
          effects: [{ type: 'clear_resolution' }, { type: 'resume_sla', at: NOW }],
        },
      },
      {
        name: 'resolving records the trimmed resolution, stops the clock and asks for a rating',
        actor: PERSONAS['agent 1'],
        situation: 'WAITING_CUSTOMER',
        action: 'resolve',
        fields: { resolution: ' Replaced the disk ', rootCause: '\tWorn disk\n' },
        expected: {
          ok: true,
          to: 'RESOLVED',
          effects: [
            { type: 'record_resolution', resolution: 'Replaced the disk', rootCause: 'Worn disk' },
            { type: 'stop_resolution_clock', at: NOW },
            { type: 'request_csat' },
          ],
        },
      },
      {
        name: 'staff reopening clears the resolution and runs the clock again',
        actor: manager,
        situation: 'RESOLVED 8 days ago',
        action: 'reopen',
        expected: {
          ok: true,
          to: 'IN_PROGRESS',
          effects: [{ type: 'clear_resolution' }, { type: 'resume_sla', at: NOW }],
        },
      },
      {
        name: 'closing records when',
        actor: SYSTEM_ACTOR,
        situation: 'RESOLVED 8 days ago',
        action: 'close',
        expected: { ok: true, to: 'CLOSED', effects: [{ type: 'record_closure', at: NOW }] },
      },
    ],
    ({ actor, situation, action, fields, expected }) => {
      const decision = decideTransition({
        actor,
        ticket: SITUATIONS[situation],
        action,
        now: NOW,
        ...(fields ? { fields } : {}),
      });
      expect(decision).toEqual(expected);
    },
  );
});

describe('the reopen window', () => {
  const resolvedAt = new Date('2026-03-01T09:30:00Z');
  const resolved = ticket('RESOLVED', 'agent-1', resolvedAt);
  const sinceResolution = (ms: number) => new Date(resolvedAt.getTime() + ms);
  const reply = (now: Date, t: WorkflowTicket = resolved) =>
    decideTransition({ actor: PERSONAS['the requester'], ticket: t, action: 'customer_reply', now });
  const autoClose = (now: Date, t: WorkflowTicket = resolved) =>
    decideTransition({ actor: SYSTEM_ACTOR, ticket: t, action: 'close', now });

  it('lasts seven days', () => {
    expect(REOPEN_WINDOW_DAYS).toBe(7);
  });

  it('reopens on a customer reply 6 days 23 hours after resolution', () => {
    expect(outcome(reply(sinceResolution(6 * DAY + 23 * HOUR)))).toBe('IN_PROGRESS');
  });

  it('still reopens exactly 7 days after resolution', () => {
    expect(outcome(reply(sinceResolution(7 * DAY)))).toBe('IN_PROGRESS');
  });

  it('refuses a customer reply 7 days and 1 ms after resolution, asking for a new ticket', () => {
    const decision = reply(sinceResolution(7 * DAY + 1));
    expect(decision).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
    expect(decision.ok ? '' : decision.message).toMatch(/open a new ticket/);
  });

  it('keeps the nightly job from closing while the window is open', () => {
    expect(outcome(autoClose(sinceResolution(7 * DAY)))).toBe('INVALID_TRANSITION');
  });

  it('lets the nightly job close once the window has passed', () => {
    expect(outcome(autoClose(sinceResolution(7 * DAY + 1)))).toBe('CLOSED');
  });

  it('treats a resolved ticket without a resolution time as outside the window', () => {
    const undated = ticket('RESOLVED', 'agent-1', null);
    expect(outcome(reply(NOW, undated))).toBe('INVALID_TRANSITION');
    expect(outcome(autoClose(NOW, undated))).toBe('CLOSED');
  });

  it('does not limit staff reopening', () => {
    const decision = decideTransition({
      actor: PERSONAS['agent 1'],
      ticket: resolved,
      action: 'reopen',
      now: sinceResolution(30 * DAY),
    });
    expect(outcome(decision)).toBe('IN_PROGRESS');
  });
});

describe('decideTransition, the fields', () => {
  const agent = PERSONAS['agent 1'];
  interface FieldCase {
    name: string;
    actor: WorkflowActor;
    situation: Situation;
    action: TicketAction;
    fields: WorkflowFields;
    code: 'VALIDATION' | 'FORBIDDEN' | 'INVALID_TRANSITION';
    missing?: string[];
  }
  eachCase<FieldCase>(
    [
      {
        name: 'refuses to resolve without a root cause',
        actor: agent,
        situation: 'IN_PROGRESS',
        action: 'resolve',
        fields: { resolution: 'Replaced the disk' },
        code: 'VALIDATION',
        missing: ['rootCause'],
      },
      {
        name: 'refuses to resolve with a blank resolution',
        actor: agent,
        situation: 'IN_PROGRESS',
        action: 'resolve',
        fields: { resolution: '   ', rootCause: 'Worn disk' },
        code: 'VALIDATION',
        missing: ['resolution'],
      },
      {
        name: 'names both fields when resolving with neither',
        actor: agent,
        situation: 'ASSIGNED',
        action: 'resolve',
        fields: {},
        code: 'VALIDATION',
        missing: ['resolution', 'rootCause'],
      },
      {
        name: 'refuses to reject without a reason',
        actor: PERSONAS['a manager'],
        situation: 'NEW',
        action: 'reject',
        fields: {},
        code: 'VALIDATION',
        missing: ['reason'],
      },
      {
        name: 'refuses to reject with a blank reason',
        actor: PERSONAS['an admin'],
        situation: 'NEW',
        action: 'reject',
        fields: { reason: ' \n ' },
        code: 'VALIDATION',
        missing: ['reason'],
      },
      {
        name: 'refuses to assign without an assignee',
        actor: PERSONAS['a manager'],
        situation: 'ACCEPTED',
        action: 'assign',
        fields: {},
        code: 'VALIDATION',
        missing: ['assigneeId'],
      },
      {
        name: 'forbids an agent to assign an accepted ticket to someone else',
        actor: PERSONAS['agent 2'],
        situation: 'ACCEPTED',
        action: 'assign',
        fields: { assigneeId: 'agent-1' },
        code: 'FORBIDDEN',
      },
      {
        name: 'forbids before it validates: another agent resolving without fields',
        actor: PERSONAS['agent 2'],
        situation: 'IN_PROGRESS',
        action: 'resolve',
        fields: {},
        code: 'FORBIDDEN',
      },
      {
        name: 'checks the status before it validates: resolving a closed ticket without fields',
        actor: PERSONAS['a manager'],
        situation: 'CLOSED',
        action: 'resolve',
        fields: {},
        code: 'INVALID_TRANSITION',
      },
      {
        name: 'forbids before it checks the status: a customer closing a closed ticket',
        actor: PERSONAS['the customer admin'],
        situation: 'CLOSED',
        action: 'close',
        fields: {},
        code: 'FORBIDDEN',
      },
    ],
    ({ actor, situation, action, fields, code, missing }) => {
      const decision = decideTransition({ actor, ticket: SITUATIONS[situation], action, now: NOW, fields });
      expect(decision).toMatchObject({ ok: false, code });
      if (missing) expect(decision).toMatchObject({ fields: missing });
    },
  );

  it('says closed tickets are read-only', () => {
    const decision = decideTransition({
      actor: PERSONAS['a manager'],
      ticket: SITUATIONS.CLOSED,
      action: 'reopen',
      now: NOW,
    });
    expect(decision).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: 'closed tickets are read-only',
    });
  });

  it('says a NEW ticket must be accepted before it is assigned', () => {
    const decision = decideTransition({
      actor: PERSONAS['a manager'],
      ticket: SITUATIONS.NEW,
      action: 'assign',
      now: NOW,
      fields: { assigneeId: 'agent-1' },
    });
    expect(decision.ok ? '' : decision.message).toMatch(/must be accepted first/);
  });
});

describe('the status endpoint', () => {
  it.each<{ from: TicketStatus; to: TicketStatus; action: TicketAction | undefined }>([
    { from: 'ASSIGNED', to: 'IN_PROGRESS', action: 'start' },
    { from: 'WAITING_CUSTOMER', to: 'IN_PROGRESS', action: 'resume' },
    { from: 'RESOLVED', to: 'IN_PROGRESS', action: 'reopen' },
    { from: 'CLOSED', to: 'IN_PROGRESS', action: 'reopen' },
    { from: 'ASSIGNED', to: 'WAITING_CUSTOMER', action: 'request_info' },
    { from: 'IN_PROGRESS', to: 'WAITING_CUSTOMER', action: 'request_info' },
    { from: 'IN_PROGRESS', to: 'RESOLVED', action: 'resolve' },
    { from: 'RESOLVED', to: 'CLOSED', action: 'close' },
    { from: 'NEW', to: 'ACCEPTED', action: 'accept' },
    { from: 'NEW', to: 'CANCELLED', action: 'reject' },
    { from: 'ACCEPTED', to: 'ASSIGNED', action: undefined },
    { from: 'IN_PROGRESS', to: 'ASSIGNED', action: undefined },
    { from: 'ACCEPTED', to: 'NEW', action: undefined },
    { from: 'IN_PROGRESS', to: 'IN_PROGRESS', action: undefined },
  ])('maps $from → $to to $action', ({ from, to, action }) => {
    expect(actionForStatusChange(from, to)).toBe(action);
  });

  it('moves a ticket to exactly the status asked for whenever it allows the change', () => {
    const admin = PERSONAS['an admin'];
    for (const from of TICKET_STATUSES) {
      for (const to of TICKET_STATUSES) {
        const decision = decideStatusChange({
          actor: admin,
          ticket: ticket(from, 'agent-1', from === 'RESOLVED' ? ago(DAY) : null),
          to,
          now: NOW,
          fields: validFields(admin),
        });
        if (decision.ok) expect(decision.to, `${from} → ${to}`).toBe(to);
      }
    }
  });

  eachCase<{ name: string; persona: Persona; situation: Situation; to: TicketStatus; expected: Outcome }>(
    [
      {
        name: 'lets the assignee start work',
        persona: 'agent 1',
        situation: 'ASSIGNED',
        to: 'IN_PROGRESS',
        expected: 'IN_PROGRESS',
      },
      {
        name: 'forbids another agent any change',
        persona: 'agent 2',
        situation: 'IN_PROGRESS',
        to: 'ASSIGNED',
        expected: 'FORBIDDEN',
      },
      {
        name: 'forbids customers any change',
        persona: 'the customer admin',
        situation: 'NEW',
        to: 'CANCELLED',
        expected: 'FORBIDDEN',
      },
      {
        name: 'refuses a change that is no transition',
        persona: 'a manager',
        situation: 'IN_PROGRESS',
        to: 'ASSIGNED',
        expected: 'INVALID_TRANSITION',
      },
      {
        name: 'refuses to leave CLOSED',
        persona: 'a manager',
        situation: 'CLOSED',
        to: 'NEW',
        expected: 'INVALID_TRANSITION',
      },
      {
        name: 'lets a manager close a resolved ticket',
        persona: 'a manager',
        situation: 'RESOLVED yesterday',
        to: 'CLOSED',
        expected: 'CLOSED',
      },
    ],
    ({ persona, situation, to, expected }) => {
      const actor = PERSONAS[persona];
      const decision = decideStatusChange({
        actor,
        ticket: SITUATIONS[situation],
        to,
        now: NOW,
        fields: validFields(actor),
      });
      expect(outcome(decision)).toBe(expected);
    },
  );

  it('asks for a reason when a manager cancels through it', () => {
    const decision = decideStatusChange({
      actor: PERSONAS['a manager'],
      ticket: SITUATIONS.NEW,
      to: 'CANCELLED',
      now: NOW,
    });
    expect(decision).toMatchObject({ ok: false, code: 'VALIDATION', fields: ['reason'] });
  });
});

describe('allowedActions', () => {
  eachCase<{ name: string; persona: Persona; situation: Situation; expected: TicketAction[] }>(
    [
      {
        name: 'offers a manager accept and reject on a NEW ticket',
        persona: 'a manager',
        situation: 'NEW',
        expected: ['accept', 'reject'],
      },
      {
        name: 'offers the requester cancel and reply on a NEW ticket',
        persona: 'the requester',
        situation: 'NEW',
        expected: ['cancel', 'customer_reply'],
      },
      {
        name: 'offers another customer user nothing',
        persona: 'another customer user',
        situation: 'NEW',
        expected: [],
      },
      {
        name: 'offers any agent self-assignment of an accepted ticket',
        persona: 'agent 2',
        situation: 'ACCEPTED',
        expected: ['assign'],
      },
      {
        name: 'offers the assignee start, request info and resolve',
        persona: 'agent 1',
        situation: 'ASSIGNED',
        expected: ['start', 'request_info', 'resolve'],
      },
      {
        name: 'offers another agent nothing on a held ticket',
        persona: 'agent 2',
        situation: 'IN_PROGRESS',
        expected: [],
      },
      {
        name: 'offers a manager reassign, resume and resolve on a waiting ticket',
        persona: 'a manager',
        situation: 'WAITING_CUSTOMER',
        expected: ['assign', 'resume', 'resolve'],
      },
      {
        name: 'offers a manager reopen and close on a resolved ticket',
        persona: 'a manager',
        situation: 'RESOLVED yesterday',
        expected: ['reopen', 'close'],
      },
      {
        name: 'offers the requester a reply on a recently resolved ticket',
        persona: 'the requester',
        situation: 'RESOLVED yesterday',
        expected: ['customer_reply'],
      },
      {
        name: 'offers the requester nothing once the reopen window has passed',
        persona: 'the requester',
        situation: 'RESOLVED 8 days ago',
        expected: [],
      },
      {
        name: 'offers the system only closing after the window',
        persona: 'the system',
        situation: 'RESOLVED 8 days ago',
        expected: ['close'],
      },
      {
        name: 'offers an admin nothing on a closed ticket',
        persona: 'an admin',
        situation: 'CLOSED',
        expected: [],
      },
    ],
    ({ persona, situation, expected }) => {
      expect(allowedActions(PERSONAS[persona], SITUATIONS[situation], NOW)).toEqual(expected);
    },
  );
});

describe('canComment', () => {
  type CommentOutcome = 'ok' | 'FORBIDDEN' | 'INVALID_TRANSITION';
  it.each<{ persona: Persona; situation: Situation; internal: boolean; expected: CommentOutcome }>([
    { persona: 'the requester', situation: 'IN_PROGRESS', internal: false, expected: 'ok' },
    { persona: 'the requester', situation: 'NEW', internal: false, expected: 'ok' },
    { persona: 'the requester', situation: 'IN_PROGRESS', internal: true, expected: 'FORBIDDEN' },
    { persona: 'the requester', situation: 'RESOLVED yesterday', internal: false, expected: 'ok' },
    {
      persona: 'the requester',
      situation: 'RESOLVED 8 days ago',
      internal: false,
      expected: 'INVALID_TRANSITION',
    },
    { persona: 'the requester', situation: 'CLOSED', internal: false, expected: 'INVALID_TRANSITION' },
    { persona: 'the requester', situation: 'CANCELLED', internal: false, expected: 'INVALID_TRANSITION' },
    { persona: 'another customer user', situation: 'IN_PROGRESS', internal: false, expected: 'FORBIDDEN' },
    { persona: 'the customer admin', situation: 'WAITING_CUSTOMER', internal: false, expected: 'ok' },
    { persona: 'the customer admin', situation: 'WAITING_CUSTOMER', internal: true, expected: 'FORBIDDEN' },
    { persona: 'agent 1', situation: 'IN_PROGRESS', internal: false, expected: 'ok' },
    { persona: 'agent 1', situation: 'IN_PROGRESS', internal: true, expected: 'ok' },
    { persona: 'agent 1', situation: 'RESOLVED 8 days ago', internal: true, expected: 'ok' },
    { persona: 'agent 1', situation: 'CLOSED', internal: true, expected: 'INVALID_TRANSITION' },
    { persona: 'agent 2', situation: 'IN_PROGRESS', internal: true, expected: 'FORBIDDEN' },
    { persona: 'agent 2', situation: 'ACCEPTED', internal: false, expected: 'FORBIDDEN' },
    { persona: 'a manager', situation: 'NEW', internal: true, expected: 'ok' },
    { persona: 'a manager', situation: 'ASSIGNED', internal: false, expected: 'ok' },
    { persona: 'a manager', situation: 'CLOSED', internal: false, expected: 'INVALID_TRANSITION' },
    { persona: 'an admin', situation: 'CANCELLED', internal: true, expected: 'INVALID_TRANSITION' },
    { persona: 'the system', situation: 'IN_PROGRESS', internal: true, expected: 'FORBIDDEN' },
  ])(
    '$persona on $situation, internal $internal: $expected',
    ({ persona, situation, internal, expected }) => {
      const decision = canComment(PERSONAS[persona], SITUATIONS[situation], internal, NOW);
      expect(decision.ok ? 'ok' : decision.code).toBe(expected);
    },
  );
});

describe('decideComment', () => {
  const open = (status: TicketStatus, firstResponseDue: boolean) => ({
    ...ticket(status, 'agent-1', status === 'RESOLVED' ? ago(DAY) : null),
    firstResponseDue,
  });

  it.each<{ persona: Persona; status: TicketStatus; internal: boolean; due: boolean; moves: boolean }>([
    { persona: 'the requester', status: 'IN_PROGRESS', internal: false, due: true, moves: false },
    { persona: 'the requester', status: 'WAITING_CUSTOMER', internal: false, due: false, moves: true },
    { persona: 'the requester', status: 'RESOLVED', internal: false, due: false, moves: true },
    { persona: 'the customer admin', status: 'NEW', internal: false, due: false, moves: false },
    { persona: 'agent 1', status: 'IN_PROGRESS', internal: false, due: true, moves: true },
    { persona: 'agent 1', status: 'IN_PROGRESS', internal: false, due: false, moves: false },
    { persona: 'agent 1', status: 'IN_PROGRESS', internal: true, due: true, moves: false },
    { persona: 'a manager', status: 'WAITING_CUSTOMER', internal: false, due: true, moves: true },
  ])(
    '$persona on $status (first response due $due), internal $internal: moves $moves',
    ({ persona, status, internal, due, moves }) => {
      expect(decideComment(PERSONAS[persona], open(status, due), internal, NOW)).toEqual({
        ok: true,
        movesTicket: moves,
      });
    },
  );

  it('refuses what canComment refuses, with its code', () => {
    const outcome = decideComment(PERSONAS['agent 2'], open('IN_PROGRESS', false), false, NOW);
    expect(outcome).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});

describe('quietCommentKeys', () => {
  const roles = ['CUSTOMER_USER', 'CUSTOMER_ADMIN', 'AGENT', 'MANAGER', 'ADMIN', 'SYSTEM'] as const;
  const holders = ['caller', 'other', 'nobody'] as const;
  const resolvedTimes = [null, ago(0), ago(DAY), ago(REOPEN_WINDOW_DAYS * DAY), ago(8 * DAY)];

  // Every fact combination, against decideComment itself at several resolution times.
  it.each(roles.flatMap((role) => [false, true].map((internal) => ({ role, internal }))))(
    'holds exactly where a comment by $role (internal $internal) is allowed and changes nothing',
    ({ role, internal }) => {
      const keys = new Set(quietCommentKeys(role, internal));
      const actor: WorkflowActor = { userId: 'me', role };
      for (const status of TICKET_STATUSES) {
        for (const holder of holders) {
          for (const filedByCaller of [true, false]) {
            for (const firstResponseDue of [true, false]) {
              const facts: CommentRuleFacts = { status, holder, filedByCaller, firstResponseDue };
              const quietAlways = resolvedTimes.every((resolvedAt) => {
                const outcome = decideComment(
                  actor,
                  {
                    status,
                    createdById: filedByCaller ? 'me' : 'someone',
                    assignedToId: holder === 'caller' ? 'me' : holder === 'other' ? 'someone' : null,
                    resolvedAt,
                    firstResponseDue,
                  },
                  internal,
                  NOW,
                );
                return outcome.ok && !outcome.movesTicket;
              });
              expect(keys.has(commentRuleKey(facts)), commentRuleKey(facts)).toBe(quietAlways);
            }
          }
        }
      }
    },
  );

  it('lets a requester answer an open ticket and nothing that moves or is refused', () => {
    const keys = quietCommentKeys('CUSTOMER_USER', false);
    expect(keys).toContain('IN_PROGRESS:other:caller:due');
    expect(keys).toContain('NEW:nobody:caller:met');
    expect(keys.some((key) => key.startsWith('WAITING_CUSTOMER:') || key.startsWith('RESOLVED:'))).toBe(
      false,
    );
    expect(keys.some((key) => key.split(':')[2] === 'other')).toBe(false);
    expect(keys).toHaveLength(4 * 3 * 2);
  });

  it('keeps an agent to their own tickets and first response to the entity path', () => {
    expect(quietCommentKeys('AGENT', false)).toContain('IN_PROGRESS:caller:other:met');
    expect(quietCommentKeys('AGENT', false)).not.toContain('IN_PROGRESS:caller:other:due');
    expect(quietCommentKeys('AGENT', true)).toContain('IN_PROGRESS:caller:other:due');
    expect(quietCommentKeys('AGENT', true).every((key) => key.split(':')[1] === 'caller')).toBe(true);
    expect(quietCommentKeys('CUSTOMER_USER', true)).toEqual([]);
    expect(quietCommentKeys('SYSTEM', false)).toEqual([]);
  });
});

describe('meetsFirstResponse', () => {
  it.each<{ role: WorkflowActor['role']; internal: boolean; expected: boolean }>([
    { role: 'AGENT', internal: false, expected: true },
    { role: 'MANAGER', internal: false, expected: true },
    { role: 'ADMIN', internal: false, expected: true },
    { role: 'AGENT', internal: true, expected: false },
    { role: 'CUSTOMER_USER', internal: false, expected: false },
    { role: 'CUSTOMER_ADMIN', internal: false, expected: false },
    { role: 'SYSTEM', internal: false, expected: false },
  ])('is $expected for a comment by $role with internal $internal', ({ role, internal, expected }) => {
    expect(meetsFirstResponse(role, internal)).toBe(expected);
  });
});

describe('toWorkflowActor', () => {
  it('keeps a signed-in user as they are', () => {
    expect(toWorkflowActor('manager-1', 'MANAGER')).toEqual({ userId: 'manager-1', role: 'MANAGER' });
  });

  it('turns the job scope, an ADMIN named system, into the system actor', () => {
    const actor = toWorkflowActor('system', 'ADMIN');
    expect(actor).toBe(SYSTEM_ACTOR);
    const early = decideTransition({
      actor,
      ticket: SITUATIONS['RESOLVED yesterday'],
      action: 'close',
      now: NOW,
    });
    expect(outcome(early)).toBe('INVALID_TRANSITION');
  });
});

describe('requireTransition', () => {
  it('returns an allowed decision as is', () => {
    const decision = decideTransition({
      actor: PERSONAS['a manager'],
      ticket: SITUATIONS.NEW,
      action: 'accept',
      now: NOW,
    });
    expect(requireTransition(decision)).toBe(decision);
  });

  it('throws a DomainError with the refusal code and the missing fields', () => {
    const decision = decideTransition({
      actor: PERSONAS['agent 1'],
      ticket: SITUATIONS.IN_PROGRESS,
      action: 'resolve',
      now: NOW,
      fields: { resolution: 'Replaced the disk' },
    });
    expect(() => requireTransition(decision)).toThrow(DomainError);
    try {
      requireTransition(decision);
    } catch (error) {
      expect(error).toMatchObject({
        name: 'DomainError',
        code: 'VALIDATION',
        details: { fields: ['rootCause'] },
      });
    }
  });

  it('throws a FORBIDDEN DomainError without details', () => {
    const decision = decideTransition({
      actor: PERSONAS['agent 2'],
      ticket: SITUATIONS.ASSIGNED,
      action: 'start',
      now: NOW,
    });
    const error = (() => {
      try {
        requireTransition(decision);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'FORBIDDEN' });
    expect((error as DomainError).details).toBeUndefined();
  });
});
