import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { apiError, BOB, fakeApi, SERVICES } from '../testing/fake-api.ts';
import { renderPortal } from '../testing/render-portal.tsx';

const png = (name = 'screen.png', size = 64) => new File([new Uint8Array(size)], name, { type: 'image/png' });

async function fill(title: string, description: string) {
  fireEvent.input(await screen.findByRole('textbox', { name: 'Title' }), { target: { value: title } });
  fireEvent.input(screen.getByRole('textbox', { name: /^Description/ }), { target: { value: description } });
}

describe('the new ticket page', () => {
  it('has the fields and button SPEC §13 names, and the services to choose from', async () => {
    const { api } = fakeApi({ user: BOB, tickets: [] });
    renderPortal('/tickets/new', api);
    expect(await screen.findByRole('textbox', { name: 'Title' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: /^Description/ }).tagName).toBe('TEXTAREA');
    expect((screen.getByRole('combobox', { name: 'Priority' }) as HTMLSelectElement).value).toBe('MEDIUM');
    expect((screen.getByLabelText('Attachments') as HTMLInputElement).type).toBe('file');
    expect(screen.getByRole('button', { name: 'Submit ticket' })).toBeTruthy();
    expect(await screen.findByRole('option', { name: SERVICES[0]?.name })).toBeTruthy();
  });

  it('checks the fields with the server’s schema and sends nothing while they are wrong', async () => {
    const { api, procedures } = fakeApi({ user: BOB, tickets: [] });
    renderPortal('/tickets/new', api);
    await fill('   ', '');
    fireEvent.click(screen.getByRole('button', { name: 'Submit ticket' }));
    const title = screen.getByRole('textbox', { name: 'Title' });
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Enter a title.')).toBeTruthy();
    expect(screen.getByText('Enter a description.')).toBeTruthy();
    expect(document.activeElement).toBe(title);
    expect(procedures.tickets.create.mutate).not.toHaveBeenCalled();
  });

  it('refuses a file the server would refuse, before sending', async () => {
    const { api, procedures } = fakeApi({ user: BOB, tickets: [] });
    renderPortal('/tickets/new', api);
    await fill('Printer', 'Jams');
    fireEvent.change(screen.getByLabelText('Attachments'), {
      target: { files: [new File(['MZ'], 'setup.exe', { type: 'application/octet-stream' })] },
    });
    expect(screen.getByText(/This type of file is not accepted/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(screen.getByText('Remove the files that cannot be attached.')).toBeTruthy();
    expect(procedures.tickets.create.mutate).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Remove setup.exe' }));
    expect(screen.queryByText('Remove the files that cannot be attached.')).toBeNull();
  });

  it('creates the ticket, uploads each file with progress, and opens the ticket', async () => {
    const { api, procedures, upload } = fakeApi({ user: BOB, tickets: [] });
    const view = renderPortal('/tickets/new', api);
    await fill('VPN drops', 'Every five minutes.');
    fireEvent.change(screen.getByRole('combobox', { name: 'Priority' }), { target: { value: 'URGENT' } });
    const file = png();
    fireEvent.change(screen.getByLabelText('Attachments'), { target: { files: [file] } });
    expect(screen.getByText('screen.png')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByRole('heading', { level: 1, name: /VPN drops/ })).toBeTruthy();
    expect(procedures.tickets.create.mutate).toHaveBeenCalledWith({
      title: 'VPN drops',
      description: 'Every five minutes.',
      priority: 'URGENT',
      serviceId: null,
    });
    const created = await procedures.tickets.create.mutate.mock.results[0]?.value;
    expect(upload).toHaveBeenCalledWith(
      created.id,
      file,
      expect.objectContaining({ onProgress: expect.any(Function) }),
    );
    await waitFor(() => expect(view.path()).toBe(`/portal/tickets/${created.id}`));
    expect(screen.getByText(`Ticket #${created.number} opened`)).toBeTruthy();
  });

  it('shows the server’s objection next to the field it concerns', async () => {
    const { api, procedures } = fakeApi({ user: BOB, tickets: [] });
    procedures.tickets.create.mutate.mockRejectedValueOnce(
      apiError(400, '[{"code":"too_big"}]', {
        fieldErrors: { title: ['keep the title under 201 characters'] },
      }),
    );
    renderPortal('/tickets/new', api);
    await fill('A title', 'A description');
    fireEvent.click(screen.getByRole('button', { name: 'Submit ticket' }));
    const message = await screen.findByText('Keep the title under 201 characters.');
    expect(screen.getByRole('textbox', { name: 'Title' }).getAttribute('aria-describedby')).toContain(
      message.id,
    );
    expect(screen.getByRole('alert').textContent).toBe('Check the highlighted fields.');
  });

  it('keeps the created ticket when a file is refused, and offers to retry the files', async () => {
    const { api, upload } = fakeApi({ user: BOB, tickets: [] });
    upload.mockRejectedValueOnce(apiError(415, 'this type of file is not allowed'));
    renderPortal('/tickets/new', api);
    await fill('Broken image', 'See attached');
    fireEvent.change(screen.getByLabelText('Attachments'), { target: { files: [png('fake.png')] } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByText(/was opened, but some files could not be attached/)).toBeTruthy();
    expect(screen.getByText(/This type of file is not allowed/)).toBeTruthy();
    expect(screen.getByRole('link', { name: /Go to ticket #/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry attachments' }));
    expect(await screen.findByRole('heading', { level: 1, name: /Broken image/ })).toBeTruthy();
    expect(upload).toHaveBeenCalledTimes(2);
  });
});
