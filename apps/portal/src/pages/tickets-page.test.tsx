import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { ALICE, BOB, fakeApi, makeTicket, summary } from '../testing/fake-api.ts';
import { renderPortal } from '../testing/render-portal.tsx';

describe('the ticket list', () => {
  it('lists each ticket with its number, a link, status, priority and last update', async () => {
    const vpn = makeTicket({ title: 'VPN drops', status: 'WAITING_CUSTOMER', priority: 'URGENT' });
    const { api } = fakeApi({ user: BOB, tickets: [vpn] });
    renderPortal('/tickets', api);
    const link = await screen.findByRole('link', { name: 'VPN drops' });
    expect(link.getAttribute('href')).toBe(`/portal/tickets/${vpn.id}`);
    const row = link.closest('tr') as HTMLElement;
    expect(within(row).getByText(`#${vpn.number}`)).toBeTruthy();
    expect(within(row).getByText('Waiting for you').dataset.status).toBe('WAITING_CUSTOMER');
    expect(within(row).getByText('P1 · Urgent')).toBeTruthy();
    expect(row.querySelector('time')?.getAttribute('datetime')).toBe(vpn.updatedAt.toISOString());
    expect(screen.queryByRole('columnheader', { name: 'Opened by' })).toBeNull();
  });

  it('shows a customer admin the organization’s tickets and who opened them', async () => {
    const { api } = fakeApi({
      user: ALICE,
      tickets: [
        makeTicket({ title: 'Bob’s laptop' }),
        makeTicket({ title: 'Alice’s printer', createdById: ALICE.id }),
      ],
    });
    renderPortal('/tickets', api);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Your organization’s tickets' }),
    ).toBeTruthy();
    const bobs = (await screen.findByRole('link', { name: 'Bob’s laptop' })).closest('tr') as HTMLElement;
    expect(within(bobs).getByText('A colleague')).toBeTruthy();
    const alices = screen.getByRole('link', { name: 'Alice’s printer' }).closest('tr') as HTMLElement;
    expect(within(alices).getByText('You')).toBeTruthy();
  });

  it('filters by status through the query, and keeps the filter in the address', async () => {
    const { api, procedures } = fakeApi({
      user: BOB,
      tickets: [makeTicket({ title: 'Open one' }), makeTicket({ title: 'Done one', status: 'RESOLVED' })],
    });
    const view = renderPortal('/tickets', api);
    await screen.findByRole('link', { name: 'Open one' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'RESOLVED' } });
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Open one' })).toBeNull());
    expect(screen.getByRole('link', { name: 'Done one' })).toBeTruthy();
    expect(procedures.tickets.list.query).toHaveBeenLastCalledWith({ status: 'RESOLVED', limit: 20 });
    await waitFor(() => expect(view.path()).toBe('/portal/tickets?status=RESOLVED'));
  });

  it('searches as the user types, and offers to clear filters that find nothing', async () => {
    const { api, procedures } = fakeApi({ user: BOB, tickets: [makeTicket({ title: 'Printer jams' })] });
    renderPortal('/tickets', api);
    await screen.findByRole('link', { name: 'Printer jams' });
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: 'VPN' } });
    expect(await screen.findByRole('heading', { name: 'No tickets match' })).toBeTruthy();
    expect(procedures.tickets.list.query).toHaveBeenLastCalledWith({ q: 'VPN', limit: 20 });
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByRole('link', { name: 'Printer jams' })).toBeTruthy();
  });

  it('pages forward and back with the server’s cursor', async () => {
    const { api, procedures } = fakeApi({ user: BOB, tickets: [makeTicket({ title: 'First page' })] });
    procedures.tickets.list.query.mockImplementation(async (input) =>
      input.cursor === 'c2'
        ? { items: [summary(makeTicket({ title: 'Second page' }))], nextCursor: null }
        : { items: [summary(makeTicket({ title: 'First page' }))], nextCursor: 'c2' },
    );
    renderPortal('/tickets', api);
    await screen.findByRole('link', { name: 'First page' });
    expect((screen.getByRole('button', { name: 'Previous page' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByRole('link', { name: 'Second page' })).toBeTruthy();
    expect(screen.getByText('Page 2')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next page' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByRole('link', { name: 'First page' })).toBeTruthy();
  });

  it('invites a customer without tickets to open one', async () => {
    const { api } = fakeApi({ user: BOB, tickets: [] });
    renderPortal('/tickets', api);
    expect(await screen.findByRole('heading', { name: 'No tickets yet' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open a ticket' }).getAttribute('href')).toBe(
      '/portal/tickets/new',
    );
  });
});
