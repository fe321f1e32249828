import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import * as Timeline from './index.ts';

describe('Timeline', () => {
  it('lists entries in order with machine-readable times and their kind', () => {
    render(() => (
      <Timeline.Root aria-label="Conversation">
        <Timeline.Item time={new Date('2026-11-20T09:00:00Z')} title="Ticket opened" />
        <Timeline.Item time={new Date('2026-11-20T10:30:00Z')} title="Support replied" kind="theirs">
          A technician comes tomorrow.
        </Timeline.Item>
      </Timeline.Root>
    ));
    const list = screen.getByRole('list', { name: 'Conversation' });
    expect(list.tagName).toBe('OL');
    const items = screen.getAllByRole('listitem');
    expect(items.map((item) => item.dataset.kind)).toEqual(['event', 'theirs']);
    expect(items[1]?.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-20T10:30:00.000Z');
    expect(screen.getByText('A technician comes tomorrow.')).toBeTruthy();
  });
});
