import type { TicketDetailInfo } from '@atum-desk/core/domain';
import { describe, expect, it } from 'vitest';
import { acceptsReplies, buildConversation } from './conversation.ts';

const ME = '00000000-0000-7000-8000-000000000001';
const COLLEAGUE = '00000000-0000-7000-8000-000000000002';
const AGENT = '00000000-0000-7000-8000-000000000003';
const at = (hour: number) => new Date(Date.UTC(2026, 10, 20, hour));

function ticket(change: Partial<TicketDetailInfo> = {}): TicketDetailInfo {
  return {
    id: '00000000-0000-7000-8000-0000000000aa',
    number: 1042,
    organizationId: '00000000-0000-7000-8000-0000000000bb',
    serviceId: null,
    createdById: ME,
    acceptedById: null,
    assignedToId: null,
    status: 'NEW',
    priority: 'HIGH',
    title: 'Printer jams',
    description: 'Tray 2 jams.',
    category: null,
    resolution: null,
    rootCause: null,
    cancelReason: null,
    createdAt: at(8),
    updatedAt: at(8),
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    comments: [],
    attachments: [],
    ...change,
  };
}

const comment = (id: string, authorId: string, hour: number, internal = false) => ({
  id,
  ticketId: '00000000-0000-7000-8000-0000000000aa',
  authorId,
  body: `body ${id}`,
  internal,
  createdAt: at(hour),
});

describe('buildConversation', () => {
  it('starts with the opening of a new ticket', () => {
    expect(buildConversation(ticket(), ME)).toEqual([{ type: 'opened', key: 'opened', at: at(8) }]);
  });

  it('interleaves replies and state changes by time and names who wrote', () => {
    const entries = buildConversation(
      ticket({
        status: 'RESOLVED',
        acceptedAt: at(9),
        resolvedAt: at(12),
        resolution: 'Replaced the roller.',
        comments: [comment('c1', AGENT, 10), comment('c2', ME, 11), comment('c3', COLLEAGUE, 13)],
      }),
      ME,
    );
    expect(
      entries.map((entry) =>
        entry.type === 'comment' ? entry.author : entry.type === 'status' ? entry.status : entry.type,
      ),
    ).toEqual(['opened', 'ACCEPTED', 'team', 'you', 'RESOLVED', 'team']);
    expect(entries[4]).toMatchObject({ note: 'Replaced the roller.' });
  });

  it('names the requester’s replies for a customer admin reading a colleague’s ticket', () => {
    const entries = buildConversation(
      ticket({ createdById: COLLEAGUE, comments: [comment('c1', COLLEAGUE, 9)] }),
      ME,
    );
    expect(entries[1]).toMatchObject({ type: 'comment', author: 'requester' });
  });

  it('never shows an internal note, even if one arrived', () => {
    const entries = buildConversation(ticket({ comments: [comment('n1', AGENT, 9, true)] }), ME);
    expect(entries.some((entry) => entry.type === 'comment')).toBe(false);
  });

  it('shows a cancellation with its reason, and marks optimistic replies as pending', () => {
    const entries = buildConversation(
      ticket({
        status: 'CANCELLED',
        updatedAt: at(10),
        cancelReason: 'Fixed itself',
        comments: [comment('pending-1', ME, 9)],
      }),
      ME,
    );
    expect(entries[1]).toMatchObject({ type: 'comment', pending: true });
    expect(entries[2]).toMatchObject({ type: 'status', status: 'CANCELLED', note: 'Fixed itself' });
  });
});

describe('acceptsReplies', () => {
  it.each([
    ['NEW', true],
    ['WAITING_CUSTOMER', true],
    ['RESOLVED', true],
    ['CLOSED', false],
    ['CANCELLED', false],
  ] as const)('%s: %s', (status, expected) => {
    expect(acceptsReplies(status)).toBe(expected);
  });
});
