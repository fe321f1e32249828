import { fireEvent, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../testing/fake-api.ts';
import { renderPortal } from '../testing/render-portal.tsx';

describe('the satisfaction survey', () => {
  it('asks for a rating without a sign-in, and thanks after sending it', async () => {
    const { api, procedures } = fakeApi({ user: null, tickets: [] });
    renderPortal('/csat/good-token', api);
    expect(await screen.findByRole('heading', { level: 1, name: 'How did we do?' })).toBeTruthy();
    expect(screen.getByText('Ticket #1042: Printer jams')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Send rating' }));
    expect(screen.getByText('Choose a rating from 1 to 5.')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: '4 – Satisfied' }));
    fireEvent.input(screen.getByRole('textbox', { name: 'Comment (optional)' }), {
      target: { value: 'Quick!' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Send rating' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Thank you' })).toBeTruthy();
    expect(procedures.csat.submit.mutate).toHaveBeenCalledWith({
      token: 'good-token',
      rating: 4,
      comment: 'Quick!',
    });
  });

  it('says so when the link is not valid', async () => {
    const { api } = fakeApi({ user: null, tickets: [] });
    renderPortal('/csat/forged', api);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'This rating link does not work' }),
    ).toBeTruthy();
  });

  it('thanks again instead of asking twice', async () => {
    const { api, procedures } = fakeApi({ user: null, tickets: [] });
    procedures.csat.get.query.mockResolvedValueOnce({ ticketNumber: 7, title: 'Done', answered: true });
    renderPortal('/csat/good-token', api);
    expect(await screen.findByRole('heading', { level: 1, name: 'Thank you' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Send rating' })).toBeNull();
  });
});
