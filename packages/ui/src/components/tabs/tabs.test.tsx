import { fireEvent, render, screen } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import * as Tabs from './index.ts';

function renderTabs(onChange = vi.fn()) {
  render(() => (
    <Tabs.Root defaultValue="open" onChange={onChange}>
      <Tabs.List aria-label="Tickets">
        <Tabs.Trigger value="open">Open</Tabs.Trigger>
        <Tabs.Trigger value="closed">Closed</Tabs.Trigger>
        <Tabs.Trigger value="all">All</Tabs.Trigger>
      </Tabs.List>
      <Tabs.Panel value="open">Open tickets</Tabs.Panel>
      <Tabs.Panel value="closed">Closed tickets</Tabs.Panel>
      <Tabs.Panel value="all">All tickets</Tabs.Panel>
    </Tabs.Root>
  ));
  return onChange;
}

describe('Tabs', () => {
  it('selects the default tab, with one tab stop and its panel labelled by it', () => {
    renderTabs();
    const open = screen.getByRole('tab', { name: 'Open' });
    expect(open.getAttribute('aria-selected')).toBe('true');
    expect(open.getAttribute('tabindex')).toBe('0');
    expect(screen.getByRole('tab', { name: 'Closed' }).getAttribute('tabindex')).toBe('-1');
    expect(screen.getByRole('tabpanel', { name: 'Open' }).textContent).toBe('Open tickets');
    expect(screen.getByRole('tablist', { name: 'Tickets' })).toBeTruthy();
  });

  it('moves with the arrow keys, wrapping around, and reports the change', () => {
    const onChange = renderTabs();
    const open = screen.getByRole('tab', { name: 'Open' });
    open.focus();
    fireEvent.keyDown(open, { key: 'ArrowLeft' });
    const all = screen.getByRole('tab', { name: 'All' });
    expect(document.activeElement).toBe(all);
    expect(all.getAttribute('aria-selected')).toBe('true');
    expect(onChange).toHaveBeenLastCalledWith('all');
    expect(screen.getByRole('tabpanel', { name: 'All' }).textContent).toBe('All tickets');
    fireEvent.keyDown(all, { key: 'Home' });
    expect(document.activeElement).toBe(open);
  });
});
