import { describe, expect, it } from 'vitest';
import { auditActionLabel, summarizeAudit } from './audit-labels.ts';

const names = (id: string | null) => (id === 'agent' ? 'Arun Agent' : 'Someone');

describe('audit rows in words', () => {
  it('names known actions and spells out unknown ones', () => {
    expect(auditActionLabel('ticket.status_changed')).toBe('Status changed');
    expect(auditActionLabel('webhook.delivery_failed')).toBe('Webhook delivery failed');
  });

  it('says what a row changed without ids or hashes', () => {
    expect(
      summarizeAudit(
        {
          action: 'ticket.status_changed',
          oldValue: { status: 'WAITING_CUSTOMER' },
          newValue: {
            status: 'RESOLVED',
            resolution: 'New roller',
            rootCause: 'Wear',
            assignedToId: 'agent',
          },
        },
        names,
      ),
    ).toBe('Waiting for customer → Resolved; resolution: New roller; root cause: Wear');
    expect(
      summarizeAudit(
        { action: 'ticket.assigned', oldValue: null, newValue: { assignedToId: 'agent' } },
        names,
      ),
    ).toBe('to Arun Agent');
    expect(
      summarizeAudit({ action: 'comment.created', oldValue: null, newValue: { internal: true } }, names),
    ).toBe('internal note');
    expect(
      summarizeAudit(
        {
          action: 'attachment.uploaded',
          oldValue: null,
          newValue: { fileName: 'bounce.png', sha256: 'ab', internal: false },
        },
        names,
      ),
    ).toBe('bounce.png');
    expect(
      summarizeAudit(
        { action: 'user.role_changed', oldValue: null, newValue: { id: 'x', role: 'MANAGER' } },
        names,
      ),
    ).toBe('role: MANAGER');
  });
});
