import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { DateTime } from './date-time.tsx';

describe('DateTime', () => {
  it('renders a time element with an ISO datetime, relative text and the full date as tooltip', () => {
    const value = new Date('2026-11-22T09:00:00Z');
    render(() => <DateTime value={value} relative now={new Date('2026-11-22T12:00:00Z')} data-testid="t" />);
    const time = screen.getByTestId('t');
    expect(time.tagName).toBe('TIME');
    expect(time.getAttribute('datetime')).toBe('2026-11-22T09:00:00.000Z');
    expect(time.textContent).toMatch(/3 hours ago/);
    expect(time.getAttribute('title')).toMatch(/2026/);
  });
});
