import { fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button } from '../button/button.tsx';
import { ToastProvider, useToast } from './toast.tsx';

function Saver(props: { duration?: number }) {
  const toast = useToast();
  return (
    <Button
      onClick={() =>
        toast.show({
          title: 'Saved',
          message: 'Ticket #12 opened.',
          tone: 'success',
          duration: props.duration,
        })
      }
    >
      Save
    </Button>
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe('toasts', () => {
  it('announces a toast in a polite live region and lets the user dismiss it', () => {
    render(() => (
      <ToastProvider>
        <Saver duration={0} />
      </ToastProvider>
    ));
    const region = screen.getByRole('status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(region.textContent).toContain('Ticket #12 opened.');
    expect((screen.getByText('Saved').closest('li') as HTMLElement).dataset.tone).toBe('success');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss notification' }));
    expect(region.textContent).toBe('');
    expect(region.querySelector('ol')).not.toBeNull();
  });

  it('goes by itself after its duration', () => {
    vi.useFakeTimers();
    render(() => (
      <ToastProvider>
        <Saver duration={1000} />
      </ToastProvider>
    ));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.queryByText('Ticket #12 opened.')).not.toBeNull();
    vi.advanceTimersByTime(1001);
    expect(screen.queryByText('Ticket #12 opened.')).toBeNull();
  });

  it('fails loudly outside a provider', () => {
    expect(() => render(() => <Saver />)).toThrow('useToast must be used inside ToastProvider');
  });
});
