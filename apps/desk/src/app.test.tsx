import { createMemoryHistory, MemoryRouter } from '@solidjs/router';
import { fireEvent, render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { DeskLayout, ROUTER_BASE, routes } from './app.tsx';

function renderAt(path: string) {
  const history = createMemoryHistory();
  history.set({ value: `${ROUTER_BASE}${path}`, scroll: false, replace: true });
  return render(() => (
    <MemoryRouter history={history} base={ROUTER_BASE} root={DeskLayout}>
      {routes}
    </MemoryRouter>
  ));
}

describe('desk routes', () => {
  it('welcomes on the home page and links to sign-in', async () => {
    renderAt('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Staff desk' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/desk/login');
  });

  it('shows the sign-in form with labelled fields', async () => {
    renderAt('/login');
    expect((await screen.findByLabelText('Email')).getAttribute('type')).toBe('email');
    expect(screen.getByLabelText('Password').getAttribute('type')).toBe('password');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('shows field errors when the sign-in form is submitted empty', async () => {
    renderAt('/login');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Enter your email address.')).toBeTruthy();
    expect(screen.getByText('Enter your password.')).toBeTruthy();
  });

  it('answers an unknown address with a not-found page that links home', async () => {
    renderAt('/no/such/page');
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to the desk home' }).getAttribute('href')).toBe('/desk/');
  });
});
