import type { AtumClient, LiveEvent, PresenceEntry } from '@atum-desk/core/client';
import type { StaffMemberInfo, StaffTicketDetailInfo, UserInfo } from '@atum-desk/core/domain';
import { vi } from 'vitest';
import type { DeskApi, LiveHandlers } from '../api/api-context.tsx';
import type { DashboardSummary } from '../api/queries.ts';

// A stand-in for the server in page tests: the procedures the desk calls, as vi.fn()s answering like the
// real ones over an in-memory state. The browser end-to-end test (e2e/) runs the same pages against the
// real server.

const uuid = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

export const ACME = uuid(0xac3e);
export const REQUESTER = uuid(0xb0b);

export const MANAGER: UserInfo = {
  id: uuid(0xa1),
  email: 'manager@atum.test',
  name: 'Maya Manager',
  role: 'MANAGER',
  organizationId: null,
  isActive: true,
};
export const AGENT: UserInfo = {
  ...MANAGER,
  id: uuid(0xa2),
  email: 'agent@atum.test',
  name: 'Arun Agent',
  role: 'AGENT',
};
export const ADMIN: UserInfo = {
  ...MANAGER,
  id: uuid(0xa3),
  email: 'admin@atum.test',
  name: 'Ada Admin',
  role: 'ADMIN',
};

export const STAFF: StaffMemberInfo[] = [MANAGER, AGENT, ADMIN].map((user) => ({
  id: user.id,
  name: user.name,
  email: user.email,
  role: user.role as StaffMemberInfo['role'],
}));

/** A failed call as the tRPC client reports it: a message and `data.httpStatus`. */
export function apiError(status: number, message: string, data: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { data: { httpStatus: status, ...data } });
}

let seq = 0;

/** A staff ticket detail, NEW unless told otherwise. */
export function makeTicket(change: Partial<StaffTicketDetailInfo> = {}): StaffTicketDetailInfo {
  seq += 1;
  const created = new Date(Date.now() - seq * 3_600_000);
  return {
    id: uuid(0x7000 + seq),
    number: 1000 + seq,
    organizationId: ACME,
    serviceId: null,
    createdById: REQUESTER,
    acceptedById: null,
    assignedToId: null,
    status: 'NEW',
    priority: 'HIGH',
    title: `Ticket ${seq}`,
    description: 'Something broke.',
    category: null,
    resolution: null,
    rootCause: null,
    cancelReason: null,
    createdAt: created,
    updatedAt: created,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    sla: {
      policyId: null,
      startedAt: null,
      pausedAt: null,
      pausedMinutes: 0,
      firstResponseDueAt: null,
      firstRespondedAt: null,
      resolutionDueAt: null,
      firstResponseBreached: false,
      resolutionBreached: false,
    },
    comments: [],
    attachments: [],
    allowedActions: ['accept', 'reject'],
    slaTimeline: null,
    ...change,
  };
}

function summaryOf(tickets: StaffTicketDetailInfo[]): DashboardSummary {
  return {
    generatedAt: new Date(),
    timezone: 'UTC',
    byStatus: (
      [
        'NEW',
        'ACCEPTED',
        'ASSIGNED',
        'IN_PROGRESS',
        'WAITING_CUSTOMER',
        'RESOLVED',
        'CLOSED',
        'CANCELLED',
      ] as const
    ).map((status) => ({ status, count: tickets.filter((ticket) => ticket.status === status).length })),
    openByPriority: (['URGENT', 'HIGH', 'MEDIUM', 'LOW'] as const).map((priority) => ({
      priority,
      count: tickets.filter((ticket) => ticket.priority === priority).length,
    })),
    newQueue: { count: tickets.filter((ticket) => ticket.status === 'NEW').length, oldestCreatedAt: null },
    sla: { atRisk: 0, breached: 0 },
    mine: { open: 0, waitingCustomer: 0, breached: 0 },
    organizations: [{ id: ACME, name: 'Acme Corporation', open: tickets.length }],
    daily: Array.from({ length: 30 }, (_, index) => ({
      day: new Date(Date.UTC(2026, 10, index + 1)).toISOString().slice(0, 10),
      created: index % 3,
      resolved: index % 2,
    })),
  };
}

export interface FakeServer {
  user: UserInfo | null;
  tickets: StaffTicketDetailInfo[];
}

const summarize = ({
  comments: _c,
  attachments: _a,
  allowedActions: _x,
  slaTimeline: _s,
  ...rest
}: StaffTicketDetailInfo) => rest;

/** A fake API over an in-memory state; each procedure is a spy the test can inspect or override. */
export function fakeApi(state: FakeServer) {
  const signedIn = () => {
    if (!state.user) throw apiError(401, 'sign in first');
    return state.user;
  };
  const find = (id: string) => {
    const ticket = state.tickets.find((candidate) => candidate.id === id);
    if (!ticket) throw apiError(404, 'no such ticket');
    return ticket;
  };
  const change = (id: string, patch: Partial<StaffTicketDetailInfo>) => {
    const ticket = find(id);
    Object.assign(ticket, patch, { updatedAt: new Date() });
    return summarize(ticket);
  };
  const live: { handlers: LiveHandlers | null } = { handlers: null };
  const presence = new Map<string, (others: PresenceEntry[]) => void>();
  const procedures = {
    auth: {
      me: { query: vi.fn(async () => signedIn()) },
      login: {
        mutate: vi.fn(async (input: { email: string; password: string }) => {
          if (input.password !== 'right') throw apiError(401, 'invalid e-mail or password');
          state.user = [MANAGER, AGENT, ADMIN].find((user) => user.email === input.email) ?? MANAGER;
          return { token: 'token', user: state.user, expiresAt: new Date(Date.now() + 3_600_000) };
        }),
      },
      logout: {
        mutate: vi.fn(async () => {
          state.user = null;
          return { ok: true as const };
        }),
      },
    },
    internal: {
      dashboard: {
        summary: {
          query: vi.fn(async () => {
            signedIn();
            return summaryOf(state.tickets);
          }),
        },
      },
      staff: {
        list: {
          query: vi.fn(async () => {
            signedIn();
            return STAFF;
          }),
        },
      },
      tickets: {
        list: {
          query: vi.fn(
            async (input: { status?: string; priority?: string; assigneeId?: string; q?: string }) => {
              signedIn();
              const items = state.tickets
                .filter((ticket) => !input.status || ticket.status === input.status)
                .filter((ticket) => !input.priority || ticket.priority === input.priority)
                .filter((ticket) => !input.assigneeId || ticket.assignedToId === input.assigneeId)
                .filter((ticket) => !input.q || ticket.title.toLowerCase().includes(input.q.toLowerCase()))
                .map(summarize);
              return { items, nextCursor: null };
            },
          ),
        },
        newQueue: {
          query: vi.fn(async () => {
            signedIn();
            return {
              items: state.tickets.filter((ticket) => ticket.status === 'NEW').map(summarize),
              nextCursor: null,
            };
          }),
        },
        get: {
          query: vi.fn(async (input: { id: string }) => {
            signedIn();
            return structuredClone(find(input.id));
          }),
        },
        accept: {
          mutate: vi.fn(async (input: { id: string }) => {
            const user = signedIn();
            if (find(input.id).status !== 'NEW') throw apiError(409, 'cannot accept a ACCEPTED ticket');
            return change(input.id, {
              status: 'ACCEPTED',
              acceptedById: user.id,
              acceptedAt: new Date(),
              allowedActions: ['assign'],
            });
          }),
        },
        reject: {
          mutate: vi.fn(async (input: { id: string; reason: string }) =>
            change(input.id, { status: 'CANCELLED', cancelReason: input.reason, allowedActions: [] }),
          ),
        },
        assign: {
          mutate: vi.fn(async (input: { id: string; assigneeId: string }) =>
            change(input.id, { status: 'ASSIGNED', assignedToId: input.assigneeId }),
          ),
        },
        status: {
          mutate: vi.fn(
            async (input: {
              id: string;
              status: StaffTicketDetailInfo['status'];
              resolution?: string;
              rootCause?: string;
            }) =>
              change(input.id, {
                status: input.status,
                resolution: input.resolution ?? null,
                rootCause: input.rootCause ?? null,
              }),
          ),
        },
        priority: {
          mutate: vi.fn(async (input: { id: string; priority: StaffTicketDetailInfo['priority'] }) =>
            change(input.id, { priority: input.priority }),
          ),
        },
        comment: {
          mutate: vi.fn(async (input: { id: string; body: string; internal: boolean }) => {
            const user = signedIn();
            const ticket = find(input.id);
            const comment = {
              id: uuid(0xc000 + ticket.comments.length),
              ticketId: ticket.id,
              authorId: user.id,
              body: input.body,
              internal: input.internal,
              createdAt: new Date(),
            };
            ticket.comments = [...ticket.comments, comment];
            return comment;
          }),
        },
      },
    },
    presence: {
      announce: {
        mutate: vi.fn(async (_input: { ticketId: string; state: 'viewing' | 'replying' | 'left' }) => {
          signedIn();
          return { ok: true as const };
        }),
      },
    },
    audit: {
      list: {
        query: vi.fn(async () => {
          signedIn();
          return { items: [], nextCursor: null };
        }),
      },
      verify: { query: vi.fn(async () => ({ ok: true, chains: 1, rows: 3, breaks: [] })) },
    },
  };
  const upload = vi.fn(async (_ticketId: string, file: File) => ({
    id: uuid(0xf1),
    fileName: file.name,
    mimeType: file.type,
    sizeBytes: file.size,
    sha256: '0'.repeat(64),
  }));
  const api: DeskApi = {
    client: procedures as unknown as AtumClient,
    upload,
    connectLive: (handlers) => {
      live.handlers = handlers;
      handlers.onStatus('live');
      return {
        close: () => {
          live.handlers = null;
        },
      };
    },
    watchPresence: (ticketId, onChange) => {
      presence.set(ticketId, onChange);
      return { close: () => presence.delete(ticketId) };
    },
  };
  /** Tells the ticket page open on `ticketId` who else is there, as the server would. */
  const showPresence = (ticketId: string, others: PresenceEntry[]) => presence.get(ticketId)?.(others);
  /** Pushes a live event as the server would. */
  const emit = (event: LiveEvent) => live.handlers?.onEvent(event);
  return { api, procedures, upload, emit, live, presence, showPresence };
}
