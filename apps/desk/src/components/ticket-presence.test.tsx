import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { AGENT, fakeApi, MANAGER, makeTicket } from '../testing/fake-api.ts';
import { renderDesk } from '../testing/render-desk.tsx';
import { presenceText } from './ticket-presence.tsx';

const since = new Date('2026-03-02T10:00:00Z');

describe('presenceText', () => {
  it('says who is there and what they do, in words', () => {
    expect(presenceText([])).toBe('');
    expect(presenceText([{ userId: MANAGER.id, name: 'Maya Manager', state: 'viewing', since }])).toBe(
      'Maya Manager is viewing.',
    );
    expect(
      presenceText([
        { userId: MANAGER.id, name: 'Maya Manager', state: 'replying', since },
        { userId: AGENT.id, name: 'Arun Agent', state: 'viewing', since },
      ]),
    ).toBe('Maya Manager is replying. Arun Agent is viewing.');
  });
});

describe('the ticket page’s presence indicator', () => {
  it('announces the page, shows the others in a polite live region, and says goodbye', async () => {
    const ticket = makeTicket({
      status: 'ASSIGNED',
      assignedToId: AGENT.id,
      acceptedById: MANAGER.id,
      acceptedAt: new Date(),
      allowedActions: ['assign', 'start', 'request_info', 'resolve'],
    });
    const { api, procedures, showPresence } = fakeApi({ user: AGENT, tickets: [ticket] });
    const view = renderDesk(`/tickets/${ticket.id}`, api);
    const announce = procedures.presence.announce.mutate;
    await waitFor(() => expect(announce).toHaveBeenCalledWith({ ticketId: ticket.id, state: 'viewing' }));

    const region = await screen.findByRole('status', { name: 'Colleagues on this ticket' });
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toBe('');

    showPresence(ticket.id, [{ userId: MANAGER.id, name: 'Maya Manager', state: 'viewing', since }]);
    await waitFor(() => expect(region.textContent).toBe('Maya Manager is viewing.'));
    showPresence(ticket.id, [{ userId: MANAGER.id, name: 'Maya Manager', state: 'replying', since }]);
    await waitFor(() => expect(region.textContent).toBe('Maya Manager is replying.'));
    showPresence(ticket.id, []);
    await waitFor(() => expect(region.textContent).toBe(''));

    // Text in the reply box: replying; an emptied box: viewing again.
    const reply = await screen.findByLabelText('Reply');
    fireEvent.input(reply, { target: { value: 'On my way' } });
    await waitFor(() =>
      expect(announce).toHaveBeenLastCalledWith({ ticketId: ticket.id, state: 'replying' }),
    );
    fireEvent.input(reply, { target: { value: '' } });
    await waitFor(() => expect(announce).toHaveBeenLastCalledWith({ ticketId: ticket.id, state: 'viewing' }));

    fireEvent.click(
      within(screen.getByRole('navigation', { name: 'Desk sections' })).getByRole('link', {
        name: 'Tickets',
      }),
    );
    await waitFor(() => expect(view.path()).toBe('/desk/tickets'));
    await waitFor(() => expect(announce).toHaveBeenLastCalledWith({ ticketId: ticket.id, state: 'left' }));
  });
});
