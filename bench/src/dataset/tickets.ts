import type { TicketPriority, TicketStatus } from '@atum-desk/core/domain';
import { type CopyValue, copyLine } from './copy.ts';
import { isoTimestamp, Random, uuidv7At, WeightedPicker } from './random.ts';
import {
  CATEGORIES,
  cancelReasonText,
  customerReply,
  internalNote,
  resolutionText,
  rootCauseText,
  staffReply,
  ticketDescription,
  ticketTitle,
} from './text.ts';

// One ticket and its conversation at a time, consistent with the workflow of SPEC §5: only accepted
// tickets have SLA clocks and an acceptor, only assigned ones an assignee, first response is the first
// public staff reply, resolved and closed tickets carry a resolution and root cause, cancelled ones a
// reason and no acceptance. Rows are produced oldest first, so the table's physical order follows
// creation time the way a real installation's does.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The ticket columns the generator writes; `number` comes from its sequence, `search_vector` is generated. */
export const TICKET_COLUMNS = [
  'id',
  'organization_id',
  'service_id',
  'created_by_id',
  'accepted_by_id',
  'assigned_to_id',
  'status',
  'priority',
  'title',
  'description',
  'category',
  'resolution',
  'root_cause',
  'cancel_reason',
  'created_at',
  'updated_at',
  'accepted_at',
  'resolved_at',
  'closed_at',
  'sla_policy_id',
  'sla_started_at',
  'sla_paused_at',
  'sla_paused_minutes',
  'first_response_due_at',
  'first_responded_at',
  'resolution_due_at',
  'first_response_breached',
  'resolution_breached',
  'version',
] as const;

export const COMMENT_COLUMNS = [
  'id',
  'organization_id',
  'ticket_id',
  'author_id',
  'body',
  'internal',
  'created_at',
] as const;

export interface SlaTargets {
  id: string;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  /** Wall-clock minutes per business minute: 1 round the clock, 4.2 for 40 h a week. */
  stretch: number;
}

export interface OrganizationFixture {
  id: string;
  /** Customers; the first is the organization's CUSTOMER_ADMIN. */
  customerIds: string[];
  serviceIds: string[];
  /** This organization's own SLA policy per priority, if it has one. */
  sla: Partial<Record<TicketPriority, SlaTargets>>;
  /** Relative share of all tickets. */
  weight: number;
}

export interface TicketWorld {
  organizations: OrganizationFixture[];
  agentIds: string[];
  managerIds: string[];
  globalServiceIds: string[];
  defaultSla: Record<TicketPriority, SlaTargets>;
  tickets: number;
  historyDays: number;
  now: number;
  seed: number;
}

const PRIORITIES = new WeightedPicker<TicketPriority>([
  ['URGENT', 5],
  ['HIGH', 20],
  ['MEDIUM', 50],
  ['LOW', 25],
]);

/** Tickets older than a month are nearly all finished… */
const OLD_STATUSES = new WeightedPicker<TicketStatus>([
  ['CLOSED', 93.5],
  ['CANCELLED', 5],
  ['IN_PROGRESS', 0.5],
  ['WAITING_CUSTOMER', 1],
]);

/** …the last month's are spread over the whole workflow. */
const RECENT_STATUSES = new WeightedPicker<TicketStatus>([
  ['NEW', 12],
  ['ACCEPTED', 8],
  ['ASSIGNED', 12],
  ['IN_PROGRESS', 25],
  ['WAITING_CUSTOMER', 10],
  ['RESOLVED', 13],
  ['CLOSED', 15],
  ['CANCELLED', 5],
]);

const RECENT_DAYS = 30;

const iso = isoTimestamp;

/** Writes every ticket and comment line through `emit`, oldest ticket first. */
export class TicketGenerator {
  readonly #world: TicketWorld;
  readonly #random: Random;
  readonly #organizations: WeightedPicker<OrganizationFixture>;
  readonly #start: number;
  readonly #step: number;
  ticketsWritten = 0;
  commentsWritten = 0;
  internalWritten = 0;

  constructor(world: TicketWorld) {
    this.#world = world;
    this.#random = new Random(world.seed);
    this.#organizations = new WeightedPicker(world.organizations.map((org) => [org, org.weight] as const));
    // Creation times end an hour before now, so every later event of a recent ticket fits before now.
    const end = world.now - HOUR;
    this.#start = end - world.historyDays * DAY;
    this.#step = (end - this.#start) / world.tickets;
  }

  /** The COPY lines of ticket `index` (0 = oldest) and of its comments. */
  next(index: number): { ticket: string; comments: string[] } {
    const random = this.#random;
    const world = this.#world;
    const now = world.now;
    const created = Math.floor(this.#start + (index + random.next()) * this.#step);
    const org = this.#organizations.pick(random);
    // The admin files fewer tickets than the users.
    const creator =
      org.customerIds.length > 1 && random.chance(0.9)
        ? (org.customerIds[1 + random.int(org.customerIds.length - 1)] as string)
        : (org.customerIds[0] as string);
    const recent = now - created < RECENT_DAYS * DAY;
    let status = (recent ? RECENT_STATUSES : OLD_STATUSES).pick(random);
    const priority = PRIORITIES.pick(random);
    const id = uuidv7At(created, random);
    const serviceId = random.chance(0.7)
      ? random.chance(0.3) && org.serviceIds.length > 0
        ? random.pick(org.serviceIds)
        : random.pick(world.globalServiceIds)
      : null;

    // Events of this ticket happen between its creation and a minute before now; a recent ticket's are
    // squeezed into the time it has had.
    const room = now - MINUTE - created;
    let clock = created;
    const later = (typical: number) => {
      const gap = Math.max(
        MINUTE,
        Math.min(typical * (0.2 + random.next() * 1.6), (now - MINUTE - clock) / 3),
      );
      clock = Math.min(now - MINUTE, clock + gap);
      return Math.floor(clock);
    };

    const accepted = status !== 'NEW' && status !== 'CANCELLED';
    const assigned = accepted && status !== 'ACCEPTED';
    const worked = assigned && status !== 'ASSIGNED';
    const acceptedAt = accepted ? later(Math.min(2 * HOUR, room / 8)) : null;
    const acceptedBy = accepted ? random.pick(world.managerIds) : null;
    const assignee = assigned ? random.pick(world.agentIds) : null;
    if (assigned) later(Math.min(HOUR, room / 8));

    const sla = accepted ? (org.sla[priority] ?? world.defaultSla[priority]) : null;
    const slaStarted = acceptedAt;
    const firstDue = sla && slaStarted ? slaStarted + sla.firstResponseMinutes * sla.stretch * MINUTE : null;
    const resolutionDue =
      sla && slaStarted ? slaStarted + sla.resolutionMinutes * sla.stretch * MINUTE : null;

    // The conversation.
    const comments: string[] = [];
    let firstResponded: number | null = null;
    let lastStaffAt: number | null = null;
    const typicalGap = Math.min(6 * HOUR, room / 10);
    const add = (authorId: string, body: string, internal: boolean, at: number) => {
      comments.push(
        copyLine([uuidv7At(at, random), org.id, id, authorId, body, internal, iso(at)] as CopyValue[]),
      );
      if (internal) this.internalWritten++;
    };
    if (!accepted) {
      const count = status === 'NEW' ? (random.chance(0.3) ? 1 : 0) : random.chance(0.5) ? 1 : 0;
      for (let k = 0; k < count; k++) add(creator, customerReply(random), false, later(typicalGap));
    } else if (!worked) {
      const count = random.int(3);
      for (let k = 0; k < count; k++) add(creator, customerReply(random), false, later(typicalGap));
      if (assignee && random.chance(0.3)) add(assignee, internalNote(random), true, later(typicalGap));
    } else if (assignee) {
      const replies = random.between(1, 5);
      for (let k = 0; k < replies; k++) {
        const at = later(typicalGap);
        if (k === 0) {
          add(assignee, staffReply(random), false, at);
          firstResponded = at;
          lastStaffAt = at;
        } else if (k % 2 === 1) {
          add(creator, customerReply(random), false, at);
        } else if (random.chance(0.3)) {
          add(assignee, internalNote(random), true, at);
        } else {
          add(assignee, staffReply(random), false, at);
          lastStaffAt = at;
        }
      }
      if (random.chance(0.25)) add(assignee, internalNote(random), true, later(typicalGap));
    }

    // A recent RESOLVED ticket older than the reopen window would have been closed by the nightly job.
    let resolvedAt: number | null = null;
    let closedAt: number | null = null;
    if (status === 'RESOLVED' || status === 'CLOSED') {
      resolvedAt = later(typicalGap);
      if (status === 'RESOLVED' && now - resolvedAt > 7 * DAY) status = 'CLOSED';
      if (status === 'CLOSED') closedAt = Math.min(now - MINUTE, resolvedAt + 7 * DAY + random.int(HOUR));
    }
    const waiting = status === 'WAITING_CUSTOMER';
    const pausedAt = waiting ? (lastStaffAt ?? later(typicalGap)) : resolvedAt;
    const cancelled = status === 'CANCELLED';
    const updatedAt = Math.max(clock, closedAt ?? 0, resolvedAt ?? 0);
    const firstBreached =
      firstDue !== null && (firstResponded !== null ? firstResponded > firstDue : now > firstDue);
    const resolutionBreached =
      resolutionDue !== null && (resolvedAt !== null ? resolvedAt > resolutionDue : now > resolutionDue);

    const ticket = copyLine([
      id,
      org.id,
      serviceId,
      creator,
      acceptedBy,
      assignee,
      status,
      priority,
      ticketTitle(random),
      ticketDescription(random),
      random.chance(0.6) ? random.pick(CATEGORIES) : null,
      resolvedAt !== null ? resolutionText(random) : null,
      resolvedAt !== null ? rootCauseText(random) : null,
      cancelled ? cancelReasonText(random) : null,
      iso(created),
      iso(updatedAt),
      acceptedAt !== null ? iso(acceptedAt) : null,
      resolvedAt !== null ? iso(resolvedAt) : null,
      closedAt !== null ? iso(closedAt) : null,
      sla?.id ?? null,
      slaStarted !== null ? iso(slaStarted) : null,
      pausedAt !== null ? iso(pausedAt) : null,
      accepted && random.chance(0.1) ? random.between(5, 600) : 0,
      firstDue !== null ? iso(firstDue) : null,
      firstResponded !== null ? iso(firstResponded) : null,
      resolutionDue !== null ? iso(resolutionDue) : null,
      firstBreached,
      resolutionBreached,
      1,
    ]);
    this.ticketsWritten++;
    this.commentsWritten += comments.length;
    return { ticket, comments };
  }
}
