import type { StaffTicketDetailInfo } from '@atum-desk/core/domain';
import { describe, expect, it } from 'vitest';
import { buildConversation } from './conversation.ts';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

function ticket(change: Partial<StaffTicketDetailInfo> = {}): StaffTicketDetailInfo {
  return {
    id: id(1),
    number: 1042,
    organizationId: id(2),
    serviceId: null,
    createdById: id(3),
    acceptedById: id(4),
    assignedToId: id(5),
    status: 'IN_PROGRESS',
    priority: 'HIGH',
    title: 'Printer jams',
    description: 'Tray 2',
    category: null,
    resolution: null,
    rootCause: null,
    cancelReason: null,
    createdAt: at(0),
    updatedAt: at(60),
    acceptedAt: at(10),
    resolvedAt: null,
    closedAt: null,
    sla: {
      policyId: null,
      startedAt: at(10),
      pausedAt: null,
      pausedMinutes: 0,
      firstResponseDueAt: at(130),
      firstRespondedAt: null,
      resolutionDueAt: at(970),
      firstResponseBreached: false,
      resolutionBreached: false,
    },
    comments: [],
    attachments: [],
    allowedActions: [],
    slaTimeline: null,
    ...change,
  };
}

const file = (
  n: number,
  minutes: number,
  change: { commentId?: string | null; internal?: boolean } = {},
) => ({
  id: id(100 + n),
  ticketId: id(1),
  commentId: change.commentId ?? null,
  fileName: `file-${n}.png`,
  mimeType: 'image/png',
  sizeBytes: 10,
  sha256: '0'.repeat(64),
  internal: change.internal ?? false,
  createdAt: at(minutes),
});

describe('the staff conversation', () => {
  it('tells the story in order: opened with its files, accepted, notes and replies with theirs', () => {
    const entries = buildConversation(
      ticket({
        comments: [
          {
            id: id(20),
            ticketId: id(1),
            authorId: id(5),
            body: 'Roller worn',
            internal: true,
            createdAt: at(30),
          },
          {
            id: id(21),
            ticketId: id(1),
            authorId: id(5),
            body: 'On our way',
            internal: false,
            createdAt: at(40),
          },
        ],
        attachments: [file(1, 1), file(2, 31, { commentId: id(20), internal: true }), file(3, 50)],
      }),
    );
    expect(entries.map((entry) => entry.type)).toEqual(['opened', 'accepted', 'comment', 'comment', 'file']);
    expect(entries[0]).toMatchObject({ type: 'opened', attachments: [{ fileName: 'file-1.png' }] });
    expect(entries[2]).toMatchObject({
      comment: { internal: true },
      attachments: [{ fileName: 'file-2.png' }],
    });
  });

  it('ends with the resolution, the closing or the cancellation', () => {
    const closed = buildConversation(
      ticket({
        status: 'CLOSED',
        resolvedAt: at(100),
        closedAt: at(200),
        resolution: 'Roller',
        rootCause: 'Wear',
      }),
    );
    expect(closed.slice(-2)).toMatchObject([
      { type: 'resolved', resolution: 'Roller', rootCause: 'Wear' },
      { type: 'closed' },
    ]);
    const cancelled = buildConversation(
      ticket({ status: 'CANCELLED', acceptedAt: null, cancelReason: 'Duplicate' }),
    );
    expect(cancelled.at(-1)).toMatchObject({ type: 'cancelled', reason: 'Duplicate' });
  });

  it('marks replies not yet confirmed as pending', () => {
    const entries = buildConversation(
      ticket({
        comments: [
          {
            id: 'pending-1',
            ticketId: id(1),
            authorId: id(5),
            body: 'x',
            internal: false,
            createdAt: at(70),
          },
        ],
      }),
    );
    expect(entries.at(-1)).toMatchObject({ type: 'comment', pending: true });
  });
});
