import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { ADMIN, AGENT, fakeApi, MANAGER, makeTicket } from './testing/fake-api.ts';
import { renderDesk } from './testing/render-desk.tsx';

describe('signing in', () => {
  it('sends a signed-out visitor to sign in, and back afterwards', async () => {
    const { api, procedures } = fakeApi({ user: null, tickets: [makeTicket()] });
    const view = renderDesk('/tickets?status=NEW', api);
    expect((await screen.findByLabelText('Email')).getAttribute('type')).toBe('email');
    await waitFor(() =>
      expect(view.path()).toBe(`/desk/login?next=${encodeURIComponent('/tickets?status=NEW')}`),
    );
    fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'manager@atum.test' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'right' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Tickets' })).toBeTruthy();
    await waitFor(() => expect(view.path()).toBe('/desk/tickets?status=NEW'));
    expect(procedures.auth.login.mutate).toHaveBeenCalledWith({
      email: 'manager@atum.test',
      password: 'right',
    });
  });

  it('checks the form with the server’s schema before sending it', async () => {
    const { api, procedures } = fakeApi({ user: null, tickets: [] });
    renderDesk('/login', api);
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    expect(procedures.auth.login.mutate).not.toHaveBeenCalled();
  });

  it('answers an unknown address with a not-found page', async () => {
    const { api } = fakeApi({ user: MANAGER, tickets: [] });
    renderDesk('/no/such/page', api);
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
  });
});

describe('navigation by role', () => {
  const sections = async () => {
    const nav = await screen.findByRole('navigation', { name: 'Desk sections' });
    return within(nav)
      .getAllByRole('link')
      .map((link) => link.textContent);
  };

  it('shows agents their tickets only', async () => {
    renderDesk('/', fakeApi({ user: AGENT, tickets: [] }).api);
    expect(await sections()).toEqual(['Dashboard', 'Tickets']);
  });

  it('shows managers the inbox and the audit log', async () => {
    renderDesk('/', fakeApi({ user: MANAGER, tickets: [] }).api);
    expect(await sections()).toEqual(['Dashboard', 'Inbox', 'Tickets', 'Audit log']);
  });

  it('shows administrators everything', async () => {
    renderDesk('/', fakeApi({ user: ADMIN, tickets: [] }).api);
    expect(await sections()).toEqual([
      'Dashboard',
      'Inbox',
      'Tickets',
      'Audit log',
      'Users',
      'Organizations',
      'Services',
      'SLA policies',
    ]);
  });

  it('tells an agent who opens a manager page that it is not for them', async () => {
    renderDesk('/inbox', fakeApi({ user: AGENT, tickets: [] }).api);
    expect(await screen.findByRole('heading', { name: 'Not available to your role' })).toBeTruthy();
  });
});

describe('the inbox', () => {
  it('has a row per NEW ticket with Accept and Reject', async () => {
    const first = makeTicket({ title: 'VPN drops' });
    const second = makeTicket({ title: 'Printer jams' });
    const { api, procedures } = fakeApi({ user: MANAGER, tickets: [first, second] });
    renderDesk('/inbox', api);
    const row = (await screen.findByRole('link', { name: /VPN drops/ })).closest('tr') as HTMLElement;
    expect(within(row).getByRole('button', { name: 'Accept' })).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Reject' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Accept' })).toHaveLength(2);

    fireEvent.click(within(row).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: /VPN drops/ })).toBeNull());
    expect(procedures.internal.tickets.accept.mutate).toHaveBeenCalledWith({ id: first.id });
    expect(await screen.findByText(`Ticket #${first.number} accepted`)).toBeTruthy();
  });

  it('accepts the focused row with "a" and moves between rows with "j" and "k"', async () => {
    // makeTicket backdates each ticket an hour more than the one before.
    const second = makeTicket({ title: 'Newer' });
    const first = makeTicket({ title: 'Oldest' });
    const { api, procedures } = fakeApi({ user: MANAGER, tickets: [second, first] });
    renderDesk('/inbox', api);
    await screen.findByRole('link', { name: /Oldest/ });
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(document.activeElement?.textContent).toContain('Oldest');
    fireEvent.keyDown(document.activeElement as Element, { key: 'j' });
    expect(document.activeElement?.textContent).toContain('Newer');
    fireEvent.keyDown(document.activeElement as Element, { key: 'k' });
    fireEvent.keyDown(document.activeElement as Element, { key: 'a' });
    await waitFor(() =>
      expect(procedures.internal.tickets.accept.mutate).toHaveBeenCalledWith({ id: first.id }),
    );
  });

  it('rejects only with a reason', async () => {
    const ticket = makeTicket({ title: 'Spam' });
    const { api, procedures } = fakeApi({ user: MANAGER, tickets: [ticket] });
    renderDesk('/inbox', api);
    fireEvent.click(await screen.findByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog', { name: `Reject ticket #${ticket.number}?` });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject ticket' }));
    expect(await within(dialog).findByText('Enter a reason the customer can read.')).toBeTruthy();
    expect(procedures.internal.tickets.reject.mutate).not.toHaveBeenCalled();
    fireEvent.input(within(dialog).getByLabelText('Reason'), { target: { value: 'Not a support request' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject ticket' }));
    await waitFor(() =>
      expect(procedures.internal.tickets.reject.mutate).toHaveBeenCalledWith({
        id: ticket.id,
        reason: 'Not a support request',
      }),
    );
    await waitFor(() => expect(screen.queryByRole('link', { name: /Spam/ })).toBeNull());
  });

  it('shows a ticket filed meanwhile without a reload', async () => {
    const state = { user: MANAGER, tickets: [makeTicket({ title: 'First' })] };
    const { api, emit } = fakeApi(state);
    renderDesk('/inbox', api);
    await screen.findByRole('link', { name: /First/ });
    const late = makeTicket({ title: 'Arrived live' });
    state.tickets.push(late);
    emit({
      kind: 'created',
      ticketId: late.id,
      organizationId: late.organizationId,
      status: 'NEW',
      priority: 'HIGH',
      assignedToId: null,
      internal: false,
      actorId: late.createdById,
      at: new Date(),
    });
    expect(await screen.findByRole('link', { name: /Arrived live/ })).toBeTruthy();
    expect(await screen.findByText('New ticket')).toBeTruthy();
  });
});

describe('the ticket page', () => {
  const working = () =>
    makeTicket({
      status: 'ASSIGNED',
      assignedToId: AGENT.id,
      acceptedAt: new Date(Date.now() - 3_600_000),
      acceptedById: MANAGER.id,
      allowedActions: ['assign', 'start', 'request_info', 'resolve'],
      sla: {
        policyId: null,
        startedAt: new Date(Date.now() - 9 * 3_600_000),
        pausedAt: null,
        pausedMinutes: 0,
        firstResponseDueAt: new Date(Date.now() + 3_600_000),
        firstRespondedAt: null,
        resolutionDueAt: new Date(Date.now() - 60_000),
        firstResponseBreached: false,
        resolutionBreached: false,
      },
      comments: [
        {
          id: '01900000-0000-7000-8000-00000000c0c0',
          ticketId: 'x',
          authorId: AGENT.id,
          body: 'Roller worn out',
          internal: true,
          createdAt: new Date(),
        },
      ],
    });

  it('offers the named controls and shows only the allowed status changes', async () => {
    const ticket = working();
    const { api, procedures } = fakeApi({ user: MANAGER, tickets: [ticket] });
    renderDesk(`/tickets/${ticket.id}`, api);
    expect(await screen.findByLabelText('Assignee')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Assign' })).toBeTruthy();
    const status = screen.getByLabelText('Status') as HTMLSelectElement;
    expect(Array.from(status.options).map((option) => option.value)).toEqual([
      '',
      'IN_PROGRESS',
      'WAITING_CUSTOMER',
      'RESOLVED',
    ]);
    expect(screen.queryByLabelText('Resolution')).toBeNull();
    fireEvent.change(status, { target: { value: 'RESOLVED' } });
    expect(screen.getByLabelText('Resolution')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Update status' }));
    expect(await screen.findByText('Name the root cause.')).toBeTruthy();
    expect(procedures.internal.tickets.status.mutate).not.toHaveBeenCalled();
    fireEvent.input(screen.getByLabelText('Resolution'), { target: { value: 'Replaced the roller' } });
    fireEvent.input(screen.getByLabelText('Root cause'), { target: { value: 'Wear' } });
    fireEvent.click(screen.getByRole('button', { name: 'Update status' }));
    await waitFor(() =>
      expect(procedures.internal.tickets.status.mutate).toHaveBeenCalledWith({
        id: ticket.id,
        status: 'RESOLVED',
        resolution: 'Replaced the roller',
        rootCause: 'Wear',
      }),
    );
  });

  it('tells internal notes apart in words, and counts the SLA down in words and colour', async () => {
    const ticket = working();
    renderDesk(`/tickets/${ticket.id}`, fakeApi({ user: MANAGER, tickets: [ticket] }).api);
    const note = (await screen.findByText('Roller worn out')).closest('li') as HTMLElement;
    expect(note.dataset.internal).toBe('');
    expect(within(note).getByText('Internal note')).toBeTruthy();
    const firstResponse = document.querySelector('[data-clock="first_response"]') as HTMLElement;
    expect(firstResponse.dataset.tone).toBe('warning');
    expect(firstResponse.textContent).toContain('At risk: due in');
    const resolution = document.querySelector('[data-clock="resolution"]') as HTMLElement;
    expect(resolution.dataset.tone).toBe('breached');
    expect(resolution.textContent).toContain('Breached');
  });

  it('sends an internal note at once, marked as sending until the server confirms', async () => {
    const ticket = working();
    const { api, procedures } = fakeApi({ user: AGENT, tickets: [ticket] });
    renderDesk(`/tickets/${ticket.id}`, api);
    const reply = await screen.findByLabelText('Reply');
    fireEvent.input(reply, { target: { value: 'Ordering a new roller' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Internal note' }));
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Ordering a new roller')).toBeTruthy();
    await waitFor(() =>
      expect(procedures.internal.tickets.comment.mutate).toHaveBeenCalledWith({
        id: ticket.id,
        body: 'Ordering a new roller',
        internal: true,
      }),
    );
    expect((reply as HTMLTextAreaElement).value).toBe('');
  });

  it('asks before leaving with an unsent reply', async () => {
    const ticket = working();
    const view = renderDesk(`/tickets/${ticket.id}`, fakeApi({ user: MANAGER, tickets: [ticket] }).api);
    fireEvent.input(await screen.findByLabelText('Reply'), { target: { value: 'Half a thought' } });
    fireEvent.click(
      within(screen.getByRole('navigation', { name: 'Desk sections' })).getByRole('link', { name: 'Inbox' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Discard your reply?' });
    expect(view.path()).toBe(`/desk/tickets/${ticket.id}`);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Discard and leave' }));
    await waitFor(() => expect(view.path()).toBe('/desk/inbox'));
  });

  it('lets an agent assign only themselves', async () => {
    const ticket = makeTicket({ status: 'ACCEPTED', allowedActions: ['assign'] });
    renderDesk(`/tickets/${ticket.id}`, fakeApi({ user: AGENT, tickets: [ticket] }).api);
    const assignee = (await screen.findByLabelText('Assignee')) as HTMLSelectElement;
    expect(Array.from(assignee.options).map((option) => option.value)).toEqual(['', AGENT.id]);
    expect(screen.queryByLabelText('Reply')).toBeNull();
  });
});

describe('the ticket list', () => {
  it('keeps its filters in the address', async () => {
    const { api, procedures } = fakeApi({
      user: MANAGER,
      tickets: [
        makeTicket({ title: 'Urgent one', priority: 'URGENT' }),
        makeTicket({ title: 'Low one', priority: 'LOW' }),
      ],
    });
    const view = renderDesk('/tickets?priority=URGENT', api);
    expect(await screen.findByRole('link', { name: /Urgent one/ })).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Low one/ })).toBeNull();
    expect((screen.getByLabelText('Priority') as HTMLSelectElement).value).toBe('URGENT');
    expect(procedures.internal.tickets.list.query).toHaveBeenCalledWith(
      expect.objectContaining({ priority: 'URGENT' }),
    );

    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'NEW' } });
    fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'due' } });
    await waitFor(() => expect(view.path()).toBe('/desk/tickets?priority=URGENT&status=NEW&sort=due'));
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(view.path()).toBe('/desk/tickets'));
    expect(await screen.findByRole('link', { name: /Low one/ })).toBeTruthy();
  });
});

describe('keyboard shortcuts', () => {
  it('lists them behind "?" and goes places with "g" sequences', async () => {
    const view = renderDesk('/', fakeApi({ user: MANAGER, tickets: [] }).api);
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    fireEvent.keyDown(document.body, { key: '?' });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByText('Go to the inbox of new tickets')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    fireEvent.keyDown(document.body, { key: 'g' });
    fireEvent.keyDown(document.body, { key: 'i' });
    await waitFor(() => expect(view.path()).toBe('/desk/inbox'));
    fireEvent.keyDown(document.body, { key: 'g' });
    fireEvent.keyDown(document.body, { key: 't' });
    await waitFor(() => expect(view.path()).toBe('/desk/tickets'));
  });
});
