import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { Shell } from './shell.tsx';

describe('Shell', () => {
  it('links the brand home and puts the page in the main landmark', () => {
    render(() => (
      <Shell homeHref="/portal/" area="Customer portal">
        <h1>Welcome</h1>
      </Shell>
    ));
    expect(screen.getByRole('link', { name: 'ATUM DESK' }).getAttribute('href')).toBe('/portal/');
    expect(screen.getByRole('main').textContent).toContain('Welcome');
    expect(screen.getByRole('banner')).toBeTruthy();
    expect(screen.getByRole('contentinfo')).toBeTruthy();
  });

  it('offers a skip link to the focusable main landmark', () => {
    render(() => (
      <Shell homeHref="/desk/" area="Staff desk">
        <p>Inbox</p>
      </Shell>
    ));
    const main = screen.getByRole('main');
    expect(screen.getByRole('link', { name: 'Skip to content' }).getAttribute('href')).toBe(`#${main.id}`);
    expect(main.getAttribute('tabindex')).toBe('-1');
  });
});
