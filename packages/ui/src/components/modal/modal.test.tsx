import { fireEvent, render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { Button } from '../button/button.tsx';
import * as Modal from './index.ts';

function CancelTicket() {
  const [open, setOpen] = createSignal(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Cancel ticket</Button>
      <Modal.Root open={open()} onClose={() => setOpen(false)}>
        <Modal.Title>Cancel this ticket?</Modal.Title>
        <Modal.Description>Our team will not work on it.</Modal.Description>
        <Modal.Footer>
          <CloseButton />
        </Modal.Footer>
      </Modal.Root>
    </>
  );
}

function CloseButton() {
  const close = Modal.useClose();
  return <Button onClick={close}>Keep it</Button>;
}

describe('Modal', () => {
  it('opens as a dialog named by its title and described by its description', () => {
    render(() => <CancelTicket />);
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel ticket' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel this ticket?' });
    expect(dialog.getAttribute('aria-describedby')).toBe(
      screen.getByText('Our team will not work on it.').id,
    );
  });

  it('closes from a button inside and on Escape (the cancel event)', () => {
    render(() => <CancelTicket />);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel ticket' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel ticket' }));
    const dialog = screen.getByRole('dialog');
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
