import { fireEvent, render, screen } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { Alert } from '../alert/alert.tsx';
import { ErrorState } from '../error-state/error-state.tsx';
import { Skeleton } from '../skeleton/skeleton.tsx';
import { EmptyState } from './empty-state.tsx';

describe('states', () => {
  it('shows an empty state with a heading and an action', () => {
    render(() => (
      <EmptyState
        title="No tickets yet"
        description="Open one when something breaks."
        action={<a href="/new">New ticket</a>}
      />
    ));
    expect(screen.getByRole('heading', { level: 2, name: 'No tickets yet' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'New ticket' })).toBeTruthy();
  });

  it('announces an error state and retries on request', () => {
    const onRetry = vi.fn();
    render(() => <ErrorState message="The server did not answer." onRetry={onRetry} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Something went wrong');
    expect(alert.textContent).toContain('The server did not answer.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it('offers no retry button without a handler', () => {
    render(() => <ErrorState title="Ticket not found" level={1} />);
    expect(screen.getByRole('heading', { level: 1, name: 'Ticket not found' })).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('announces a skeleton once and hides its bars', () => {
    render(() => <Skeleton lines={4} label="Loading tickets" />);
    const status = screen.getByRole('status');
    expect(status.getAttribute('aria-busy')).toBe('true');
    expect(status.textContent).toBe('Loading tickets…');
    expect(status.querySelectorAll('[aria-hidden="true"]').length).toBe(4);
  });

  it('makes a danger alert an alert and others a status', () => {
    render(() => (
      <>
        <Alert tone="danger" title="Not sent">
          Check the highlighted fields.
        </Alert>
        <Alert tone="warning">Waiting for your reply.</Alert>
      </>
    ));
    expect(screen.getByRole('alert').textContent).toContain('Check the highlighted fields.');
    expect(screen.getByRole('status').dataset.tone).toBe('warning');
  });
});
