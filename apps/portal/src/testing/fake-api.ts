import type { AtumClient } from '@atum-desk/core/client';
import type { ServiceInfo, TicketDetailInfo, TicketInfo, UserInfo } from '@atum-desk/core/domain';
import { vi } from 'vitest';
import type { PortalApi } from '../api/api-context.tsx';

// A stand-in for the server in page tests: the procedures the portal calls, as vi.fn()s answering
// like the real ones. The browser end-to-end tests (e2e/) run the same pages against the real server.

export const BOB: UserInfo = {
  id: '01900000-0000-7000-8000-000000000b0b',
  email: 'bob@acme.demo',
  name: 'Bob Brown',
  role: 'CUSTOMER_USER',
  organizationId: '01900000-0000-7000-8000-00000000ac3e',
  isActive: true,
};

export const ALICE: UserInfo = {
  ...BOB,
  id: '01900000-0000-7000-8000-0000000a11ce',
  email: 'alice@acme.demo',
  name: 'Alice Anders',
  role: 'CUSTOMER_ADMIN',
};

export const AGENT_ID = '01900000-0000-7000-8000-00000000a9e7';

/** A failed call as the tRPC client reports it: a message and `data.httpStatus` (and field errors). */
export function apiError(status: number, message: string, data: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { data: { httpStatus: status, ...data } });
}

let ticketSeq = 0;

export function makeTicket(change: Partial<TicketDetailInfo> = {}): TicketDetailInfo {
  ticketSeq += 1;
  const created = new Date(Date.UTC(2026, 10, 20, 9, ticketSeq));
  return {
    id: `01900000-0000-7000-8000-${String(ticketSeq).padStart(12, '0')}`,
    number: 1000 + ticketSeq,
    organizationId: BOB.organizationId ?? '',
    serviceId: null,
    createdById: BOB.id,
    acceptedById: null,
    assignedToId: null,
    status: 'NEW',
    priority: 'HIGH',
    title: `Ticket ${ticketSeq}`,
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
    comments: [],
    attachments: [],
    ...change,
  };
}

export function summary(ticket: TicketDetailInfo): TicketInfo {
  const { comments: _comments, attachments: _attachments, ...rest } = ticket;
  return rest;
}

export const SERVICES: ServiceInfo[] = [
  {
    id: '01900000-0000-7000-8000-000000005e01',
    organizationId: null,
    name: 'Network & VPN',
    description: null,
    isActive: true,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  },
];

export interface FakeServer {
  /** Who is signed in; null: nobody. */
  user: UserInfo | null;
  tickets: TicketDetailInfo[];
}

/** A fake API over an in-memory state; each procedure is a spy the test can inspect or override. */
export function fakeApi(state: FakeServer) {
  const signedIn = () => {
    if (!state.user) throw apiError(401, 'sign in first');
    return state.user;
  };
  const find = (id: string) => {
    const ticket = state.tickets.find((candidate) => candidate.id === id);
    if (!ticket) throw apiError(404, 'ticket not found');
    return ticket;
  };
  const procedures = {
    auth: {
      me: { query: vi.fn(async () => signedIn()) },
      login: {
        mutate: vi.fn(async (input: { email: string; password: string }) => {
          if (input.password !== 'right') throw apiError(401, 'invalid e-mail or password');
          state.user = input.email === ALICE.email ? ALICE : BOB;
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
    tickets: {
      list: {
        query: vi.fn(async (input: { status?: string; q?: string; cursor?: string; limit?: number }) => {
          signedIn();
          const items = state.tickets
            .filter((ticket) => !input.status || ticket.status === input.status)
            .filter((ticket) => !input.q || ticket.title.includes(input.q))
            .map(summary);
          return { items: structuredClone(items), nextCursor: null as string | null };
        }),
      },
      // A copy, as from the network: the cache must never share objects with the "server".
      get: {
        query: vi.fn(async (input: { id: string }) => {
          signedIn();
          return structuredClone(find(input.id));
        }),
      },
      create: {
        mutate: vi.fn(
          async (input: { title: string; description: string; priority: TicketInfo['priority'] }) => {
            signedIn();
            const ticket = makeTicket({
              title: input.title,
              description: input.description,
              priority: input.priority,
            });
            state.tickets.push(ticket);
            return structuredClone(summary(ticket));
          },
        ),
      },
      comment: {
        mutate: vi.fn(async (input: { id: string; body: string }) => {
          const user = signedIn();
          const ticket = find(input.id);
          const comment = {
            id: `01900000-0000-7000-8000-c0${String(ticket.comments.length).padStart(10, '0')}`,
            ticketId: ticket.id,
            authorId: user.id,
            body: input.body,
            internal: false,
            createdAt: new Date(),
          };
          ticket.comments = [...ticket.comments, comment];
          return structuredClone(comment);
        }),
      },
      cancel: {
        mutate: vi.fn(async (input: { id: string; reason?: string }) => {
          signedIn();
          const ticket = find(input.id);
          Object.assign(ticket, {
            status: 'CANCELLED',
            cancelReason: input.reason ?? null,
            updatedAt: new Date(),
          });
          return structuredClone(summary(ticket));
        }),
      },
    },
    services: { list: { query: vi.fn(async () => SERVICES) } },
    csat: {
      get: {
        query: vi.fn(async (input: { token: string }) => {
          if (input.token !== 'good-token') throw apiError(404, 'no such survey');
          return { ticketNumber: 1042, title: 'Printer jams', answered: false };
        }),
      },
      submit: {
        mutate: vi.fn(async (_input: { token: string; rating: number; comment?: string | null }) => ({
          ticketNumber: 1042,
          title: 'Printer jams',
          answered: true,
        })),
      },
    },
  };
  const upload = vi.fn(
    async (_ticketId: string, file: File, options?: { onProgress?: (fraction: number) => void }) => {
      options?.onProgress?.(0.5);
      options?.onProgress?.(1);
      return {
        id: 'f1',
        fileName: file.name,
        mimeType: file.type,
        sizeBytes: file.size,
        sha256: '0'.repeat(64),
      };
    },
  );
  const api: PortalApi = { client: procedures as unknown as AtumClient, upload };
  return { api, procedures, upload };
}
