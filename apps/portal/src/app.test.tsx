import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { ALICE, BOB, fakeApi } from './testing/fake-api.ts';
import { renderPortal } from './testing/render-portal.tsx';

describe('portal routes and sign-in', () => {
  it('sends a signed-out visitor from the portal home to the sign-in page', async () => {
    const { api } = fakeApi({ user: null, tickets: [] });
    const view = renderPortal('/', api);
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    await waitFor(() => expect(view.path()).toBe('/portal/login'));
  });

  it('sends a signed-in customer from the portal home to the tickets', async () => {
    const { api } = fakeApi({ user: BOB, tickets: [] });
    const view = renderPortal('/', api);
    expect(await screen.findByRole('heading', { level: 1, name: 'My tickets' })).toBeTruthy();
    await waitFor(() => expect(view.path()).toBe('/portal/tickets'));
  });

  it('shows the sign-in form with the names SPEC §13 gives', async () => {
    const { api } = fakeApi({ user: null, tickets: [] });
    renderPortal('/login', api);
    expect((await screen.findByLabelText('Email')).getAttribute('type')).toBe('email');
    expect(screen.getByLabelText('Password').getAttribute('type')).toBe('password');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('checks the form with the server’s schema before sending anything', async () => {
    const { api, procedures } = fakeApi({ user: null, tickets: [] });
    renderPortal('/login', api);
    fireEvent.input(await screen.findByLabelText('Email'), { target: { value: 'bob@' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Enter a valid e-mail address.')).toBeTruthy();
    expect(screen.getByText('Enter your password.')).toBeTruthy();
    expect(procedures.auth.login.mutate).not.toHaveBeenCalled();
  });

  it('shows the server’s refusal of a wrong password', async () => {
    const { api } = fakeApi({ user: null, tickets: [] });
    renderPortal('/login', api);
    fireEvent.input(await screen.findByLabelText('Email'), { target: { value: 'bob@acme.demo' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Invalid e-mail or password.');
  });

  it('sends a signed-out visit to a protected page to sign in, and back there afterwards', async () => {
    const { api, procedures } = fakeApi({ user: null, tickets: [] });
    const view = renderPortal('/tickets/new', api);
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    await waitFor(() => expect(view.path()).toBe(`/portal/login?next=${encodeURIComponent('/tickets/new')}`));
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'bob@acme.demo' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'right' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'New ticket' })).toBeTruthy();
    await waitFor(() => expect(view.path()).toBe('/portal/tickets/new'));
    expect(procedures.auth.login.mutate).toHaveBeenCalledWith({ email: 'bob@acme.demo', password: 'right' });
  });

  it('never follows a `next` that leaves the portal', async () => {
    const { api } = fakeApi({ user: BOB, tickets: [] });
    const view = renderPortal(`/login?next=${encodeURIComponent('//evil.example/x')}`, api);
    await screen.findByRole('heading', { level: 1, name: 'My tickets' });
    await waitFor(() => expect(view.path()).toBe('/portal/tickets'));
  });

  it('signs out from the header and forgets the session', async () => {
    const { api, procedures } = fakeApi({ user: ALICE, tickets: [] });
    const view = renderPortal('/tickets', api);
    expect(await screen.findByText('Alice Anders')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(procedures.auth.logout.mutate).toHaveBeenCalledOnce();
    await waitFor(() => expect(view.path()).toBe(`/portal/login?next=${encodeURIComponent('/tickets')}`));
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
  });

  it('tells staff that the portal is for customers', async () => {
    const { api } = fakeApi({ user: { ...BOB, role: 'AGENT', organizationId: null }, tickets: [] });
    renderPortal('/tickets', api);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'This is the customer portal' }),
    ).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the staff desk' }).getAttribute('href')).toBe('/desk/');
  });

  it('answers an unknown address with a not-found page that links home', async () => {
    const { api } = fakeApi({ user: null, tickets: [] });
    renderPortal('/no/such/page', api);
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to the portal home' }).getAttribute('href')).toBe(
      '/portal/',
    );
  });

  it('treats a session that ends mid-visit as signed out', async () => {
    const state = { user: BOB, tickets: [] };
    const { api } = fakeApi(state);
    const view = renderPortal('/tickets', api);
    await screen.findByRole('heading', { level: 1, name: 'My tickets' });
    // The session expires on the server; the next call answers 401.
    Object.assign(state, { user: null });
    await view.queryClient.invalidateQueries({ queryKey: ['tickets'] });
    await waitFor(() => expect(view.path()).toMatch(/^\/portal\/login\?next=/));
  });
});
