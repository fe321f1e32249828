import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { AGENT_ID, ALICE, apiError, BOB, fakeApi, makeTicket } from '../testing/fake-api.ts';
import { renderPortal } from '../testing/render-portal.tsx';

const comment = (authorId: string, body: string, minutes: number, internal = false) => ({
  id: `01900000-0000-7000-8000-00000000c${String(minutes).padStart(3, '0')}`,
  ticketId: '',
  authorId,
  body,
  internal,
  createdAt: new Date(Date.UTC(2026, 10, 21, 10, minutes)),
});

describe('the ticket page', () => {
  it('shows the ticket, its files and the public conversation', async () => {
    const ticket = makeTicket({
      title: 'Printer jams',
      status: 'IN_PROGRESS',
      acceptedAt: new Date(Date.UTC(2026, 10, 21, 9)),
      comments: [comment(AGENT_ID, 'A technician comes tomorrow.', 1), comment(BOB.id, 'Thanks!', 2)],
      attachments: [
        {
          id: '01900000-0000-7000-8000-0000000000f1',
          ticketId: '',
          commentId: null,
          fileName: 'jam.png',
          mimeType: 'image/png',
          sizeBytes: 2048,
          sha256: '0'.repeat(64),
          internal: false,
          createdAt: new Date(),
        },
      ],
    });
    const { api } = fakeApi({ user: BOB, tickets: [ticket] });
    renderPortal(`/tickets/${ticket.id}`, api);
    expect(
      await screen.findByRole('heading', { level: 1, name: `#${ticket.number} Printer jams` }),
    ).toBeTruthy();
    expect(screen.getByText('In progress')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'jam.png' }).getAttribute('href')).toBe(
      '/api/v1/attachments/01900000-0000-7000-8000-0000000000f1/download',
    );
    const conversation = screen.getByRole('list', { name: 'Conversation' });
    const items = within(conversation).getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('.atum-timeline__title')?.textContent)).toEqual([
      'Ticket opened',
      'Status: Accepted',
      'Support team replied',
      'You replied',
    ]);
    expect(within(conversation).getByText('A technician comes tomorrow.')).toBeTruthy();
  });

  it('sends a reply, showing it at once while it is on its way', async () => {
    const ticket = makeTicket();
    const { api, procedures } = fakeApi({ user: BOB, tickets: [ticket] });
    let release: () => void = () => {};
    const original = procedures.tickets.comment.mutate.getMockImplementation();
    procedures.tickets.comment.mutate.mockImplementationOnce(async (input) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return original ? original(input) : Promise.reject(new Error('no implementation'));
    });
    renderPortal(`/tickets/${ticket.id}`, api);
    const reply = await screen.findByRole('textbox', { name: 'Reply' });
    fireEvent.input(reply, { target: { value: 'It happens again.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByText('You replied (sending…)')).toBeTruthy();
    expect((reply as HTMLTextAreaElement).value).toBe('');
    release();
    expect(await screen.findByText('You replied')).toBeTruthy();
    expect(procedures.tickets.comment.mutate).toHaveBeenCalledWith({
      id: ticket.id,
      body: 'It happens again.',
    });
  });

  it('takes the reply back and says why next to the field when the server refuses it', async () => {
    const ticket = makeTicket({ status: 'RESOLVED', resolvedAt: new Date(Date.UTC(2026, 10, 1)) });
    const { api, procedures } = fakeApi({ user: BOB, tickets: [ticket] });
    procedures.tickets.comment.mutate.mockRejectedValueOnce(
      apiError(409, 'the reopen window has passed; open a new ticket'),
    );
    renderPortal(`/tickets/${ticket.id}`, api);
    const reply = await screen.findByRole('textbox', { name: 'Reply' });
    expect(screen.getByText('Replying reopens this ticket.')).toBeTruthy();
    fireEvent.input(reply, { target: { value: 'Still broken' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send reply' }));
    const message = await screen.findByText('The reopen window has passed; open a new ticket.');
    expect(reply.getAttribute('aria-describedby')).toContain(message.id);
    expect((reply as HTMLTextAreaElement).value).toBe('Still broken');
    expect(screen.queryByText(/sending/)).toBeNull();
  });

  it('checks an empty reply before sending', async () => {
    const ticket = makeTicket();
    const { api, procedures } = fakeApi({ user: BOB, tickets: [ticket] });
    renderPortal(`/tickets/${ticket.id}`, api);
    fireEvent.click(await screen.findByRole('button', { name: 'Send reply' }));
    expect(screen.getByText('Enter a reply.')).toBeTruthy();
    expect(procedures.tickets.comment.mutate).not.toHaveBeenCalled();
  });

  it('lets the requester cancel a NEW ticket after confirming', async () => {
    const ticket = makeTicket();
    const { api, procedures } = fakeApi({ user: BOB, tickets: [ticket] });
    renderPortal(`/tickets/${ticket.id}`, api);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel ticket' }));
    const dialog = screen.getByRole('dialog', { name: `Cancel ticket #${ticket.number}?` });
    fireEvent.input(within(dialog).getByRole('textbox', { name: 'Reason (optional)' }), {
      target: { value: 'Fixed itself' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, cancel it' }));
    expect(await screen.findByText('Reason: Fixed itself')).toBeTruthy();
    expect(procedures.tickets.cancel.mutate).toHaveBeenCalledWith({ id: ticket.id, reason: 'Fixed itself' });
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Reply' })).toBeNull());
    expect(screen.queryByRole('button', { name: 'Cancel ticket' })).toBeNull();
  });

  it('offers no cancel once the ticket is accepted, and no reply box once it is closed', async () => {
    const accepted = makeTicket({ status: 'ACCEPTED' });
    const closed = makeTicket({ status: 'CLOSED', closedAt: new Date() });
    const { api } = fakeApi({ user: ALICE, tickets: [accepted, closed] });
    const view = renderPortal(`/tickets/${accepted.id}`, api);
    await screen.findByRole('textbox', { name: 'Reply' });
    expect(screen.queryByRole('button', { name: 'Cancel ticket' })).toBeNull();
    view.unmount();
    renderPortal(`/tickets/${closed.id}`, api);
    expect(await screen.findByText('This ticket is closed and read-only.')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Reply' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Send reply' })).toBeNull();
  });

  it('answers another organization’s ticket, or a mistyped address, with not found', async () => {
    const { api } = fakeApi({ user: BOB, tickets: [] });
    const view = renderPortal('/tickets/01900000-0000-7000-8000-00000000dead', api);
    expect(await screen.findByRole('heading', { level: 1, name: 'Ticket not found' })).toBeTruthy();
    view.unmount();
    const { api: strict, procedures } = fakeApi({ user: BOB, tickets: [] });
    procedures.tickets.get.query.mockRejectedValue(apiError(400, 'not a ticket id'));
    renderPortal('/tickets/not-a-uuid', strict);
    expect(await screen.findByRole('heading', { level: 1, name: 'Ticket not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to the tickets' })).toBeTruthy();
  });
});
