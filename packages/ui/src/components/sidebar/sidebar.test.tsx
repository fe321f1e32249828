import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { Shell } from '../shell/shell.tsx';
import * as Sidebar from './index.ts';

describe('Sidebar', () => {
  it('is a labelled navigation whose current link says so, beside the main landmark', () => {
    render(() => (
      <Shell
        homeHref="/desk/"
        area="Staff desk"
        sidebar={
          <Sidebar.Root aria-label="Desk sections">
            <Sidebar.Link href="/desk/inbox" current>
              Inbox
            </Sidebar.Link>
            <Sidebar.Link href="/desk/reports">Reports</Sidebar.Link>
          </Sidebar.Root>
        }
      >
        <h1>Inbox</h1>
      </Shell>
    ));
    expect(screen.getByRole('navigation', { name: 'Desk sections' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Inbox' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Reports' }).getAttribute('aria-current')).toBeNull();
    expect(screen.getByRole('main').textContent).toBe('Inbox');
  });
});
