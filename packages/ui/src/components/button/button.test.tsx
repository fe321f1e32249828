import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { Button } from './button.tsx';

describe('Button', () => {
  it('renders a real button named by its content', () => {
    render(() => <Button>Save changes</Button>);
    const button = screen.getByRole('button', { name: 'Save changes' });
    expect(button.tagName).toBe('BUTTON');
    expect(button.getAttribute('type')).toBe('button');
    expect(button.dataset.variant).toBe('primary');
  });

  it('shows its variant as a data attribute and keeps the caller’s type and handlers', () => {
    const onClick = vi.fn();
    render(() => (
      <Button variant="ghost" type="submit" onClick={onClick}>
        Send
      </Button>
    ));
    const button = screen.getByRole('button', { name: 'Send' });
    expect(button.dataset.variant).toBe('ghost');
    expect(button.getAttribute('type')).toBe('submit');
    button.click();
    expect(onClick).toHaveBeenCalledOnce();
  });

  it('marks a busy button with aria-busy', () => {
    render(() => <Button busy>Signing in</Button>);
    expect(screen.getByRole('button', { name: 'Signing in' }).getAttribute('aria-busy')).toBe('true');
  });
});
