import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { PriorityPill, priorityText, StatusPill, statusLabel } from './pill.tsx';

describe('pills', () => {
  it('spells every ticket status for customers', () => {
    expect(
      [
        'NEW',
        'ACCEPTED',
        'ASSIGNED',
        'IN_PROGRESS',
        'WAITING_CUSTOMER',
        'RESOLVED',
        'CLOSED',
        'CANCELLED',
      ].map(statusLabel),
    ).toEqual([
      'New',
      'Accepted',
      'Assigned',
      'In progress',
      'Waiting for you',
      'Resolved',
      'Closed',
      'Cancelled',
    ]);
    expect(statusLabel('ON_HOLD')).toBe('On hold');
  });

  it('shows priorities as P1–P4', () => {
    expect(['URGENT', 'HIGH', 'MEDIUM', 'LOW'].map(priorityText)).toEqual([
      'P1 · Urgent',
      'P2 · High',
      'P3 · Medium',
      'P4 · Low',
    ]);
  });

  it('puts the value and tone in data attributes', () => {
    render(() => (
      <>
        <StatusPill status="RESOLVED" />
        <StatusPill status="WAITING_CUSTOMER" label="Waiting for customer" />
        <PriorityPill priority="URGENT" />
      </>
    ));
    const resolved = screen.getByText('Resolved');
    expect(resolved.dataset.status).toBe('RESOLVED');
    expect(resolved.dataset.tone).toBe('success');
    expect(screen.getByText('Waiting for customer').dataset.tone).toBe('warning');
    const urgent = screen.getByText('P1 · Urgent');
    expect(urgent.dataset.priority).toBe('URGENT');
    expect(urgent.dataset.tone).toBe('danger');
  });
});
